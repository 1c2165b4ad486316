/** @module Proposals: what automation would write, reviewed by a person or an approved policy before it is committed. */
export {};
