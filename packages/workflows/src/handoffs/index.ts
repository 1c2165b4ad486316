/** @module Internal handoffs (issue 19): the model, the escalation workflow, the governed service. */
export {
  subjectKinds,
  handoffStatuses,
  handoffKind,
  delayEnd,
  dueInstant,
  type SubjectKind,
  type HandoffStatus,
  type HandoffSubject,
  type HandoffTarget,
  type HandoffDue,
  type Delay,
  type EscalationTarget,
  type EscalationCondition,
  type EscalationStep,
} from './handoff-model.js';
export {
  HANDOFF,
  handoffKey,
  handoffSignals,
  handoffWorkflow,
  escalateEffect,
  expireEffect,
  raiseEffect,
  type EscalateInput,
  type HandoffStart,
  type PlannedStep,
  type HandoffWorkflowState,
} from './handoff-workflow.js';
export {
  HandoffService,
  handoffMovedSignal,
  type HandoffMoved,
  type HandoffServiceDeps,
  type HandoffAudit,
  type HandoffEngine,
  type HandoffInput,
  type HandoffView,
  type HandoffDetail,
  type HandoffHistoryEntry,
  type EscalationPolicy,
  type PersonRef,
} from './handoff-service.js';
export { handoffsPackage, handoffEffects, type HandoffEscalations } from './handoff-package.js';
export {
  raiseHandoff,
  closeHandoff,
  closeEffect,
  handoffMoved,
  raiseRequest,
  type RaiseRequest,
  type RaisedHandoff,
  type HandoffMovedSignal,
} from './handoff-effects.js';
export { handoffRaiser, type HandoffRaiserDeps } from './handoff-raiser.js';
