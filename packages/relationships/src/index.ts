/** @module Relationships: the contact graph of people and organizations, notes, migration and export. */
export {};
