/** @module The durable workflow engine: definitions, commands, timers, the engine and its workers. */
export { setTimer, cancelTimer, effect, complete, fail } from './types.js';
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
} from './types.js';
export { resolveTimer, resolveLocal, nextWallClock } from './timers.js';
export { derivedId, canonicalJson, stateDigest } from './determinism.js';
export { defaultEffectPolicy } from './effect-runner.js';
export type { EffectPolicy, EffectBatchResult, EffectFailure } from './effect-runner.js';
export type { StepRecord } from './step-runner.js';
export { WorkflowEngine, WORKFLOW_CHANNEL } from './workflow-engine.js';
export type {
  EngineObserver,
  WorkflowEngineOptions,
  EnqueueOptions,
  SignalOptions,
  WorkflowSnapshot,
  QueueDepth,
  EngineCounters,
  ReplayReport,
} from './workflow-engine.js';
export { WorkflowWorker } from './workflow-worker.js';
export type { WorkflowWorkerOptions } from './workflow-worker.js';
export { defineSignal, defineStart, defineEffect, toJson } from './extension-points.js';
export type { SignalDefinition, StartDefinition, EffectDefinition, EffectOutcome } from './extension-points.js';
