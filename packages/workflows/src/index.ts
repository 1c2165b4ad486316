/** @module Durable workflows: state machines with timers, stored in PostgreSQL, run by many workers. */
export {
  setTimer,
  cancelTimer,
  effect,
  complete,
  fail,
  resolveTimer,
  resolveLocal,
  nextWallClock,
  derivedId,
  canonicalJson,
  stateDigest,
  defaultEffectPolicy,
  WorkflowEngine,
  WorkflowWorker,
} from './engine/index.js';
export type {
  Json,
  EffectResult,
  WorkflowInput,
  LocalTime,
  TimerSpec,
  Command,
  DecideContext,
  Decision,
  WorkflowDefinition,
  EffectHandler,
  EffectRequest,
  EffectPolicy,
  EffectBatchResult,
  StepRecord,
  EngineObserver,
  WorkflowEngineOptions,
  EnqueueOptions,
  SignalOptions,
  WorkflowSnapshot,
  QueueDepth,
  EngineCounters,
  ReplayReport,
  WorkflowWorkerOptions,
} from './engine/index.js';
export { EventRouter, routedConnection, eventRef, resourceRefOf } from './routing/index.js';
export type {
  EventRouterOptions,
  RoutedConnection,
  RouteRound,
  Route,
  RouteAction,
  LinkLookup,
  EventRef,
} from './routing/index.js';
export { draftProposalHandler } from './effects/index.js';
export type { DraftRequest, DraftProposalDeps } from './effects/index.js';
