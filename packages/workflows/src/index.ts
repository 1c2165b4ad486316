/** @module Durable workflows: state machines with timers, stored in PostgreSQL, run by many workers. */
export {};
