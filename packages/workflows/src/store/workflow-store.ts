/**
 * @module The workflows' own store, as the composition root hands it out: engines and routers
 * over the workflow tables and the merge lookup, built here from the database the kernel keeps
 * privately. Whoever holds it can run workflows, not query other packages' tables.
 */
import type { EhrEvent, PatientRef } from '@steward/core';
import type { Database } from '@steward/store';
import { eventPatients } from '@steward/governance';
import { WorkflowEngine, type WorkflowEngineOptions } from '../engine/index.js';
import { EventRouter, survivingPatient, type EventRouterOptions } from '../routing/index.js';

export interface WorkflowStore {
  /** A durable engine over the workflow tables. */
  engine(options: Omit<WorkflowEngineOptions, 'db'>): WorkflowEngine;
  /** The router that reads the connections' journals into `options.engine`, with its durable cursor. */
  router(options: Omit<EventRouterOptions, 'db'>): EventRouter;
  /** The patient that survives `patient` on a connection (merges the router recorded). */
  survivingPatient(
    connectionId: string,
    patient: PatientRef,
    readEvent: (eventId: string) => Promise<EhrEvent | undefined>,
  ): Promise<PatientRef>;
  /** The Steward patient a journal event was filed with (ids only; undefined when none). */
  eventPatient(eventId: string): Promise<string | undefined>;
}

export function workflowStore(db: Database): WorkflowStore {
  return {
    engine: (options) => new WorkflowEngine({ ...options, db }),
    router: (options) => new EventRouter({ ...options, db }),
    survivingPatient: (connectionId, patient, readEvent) => survivingPatient(db, connectionId, patient, readEvent),
    eventPatient: async (eventId) => (await eventPatients(db, [eventId])).get(eventId),
  };
}
