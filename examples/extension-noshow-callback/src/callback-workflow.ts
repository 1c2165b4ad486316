/**
 * @module The example's own workflow: a missed appointment (`appointment.no-show`) starts one, which
 * proposes a call-back task (the example's action) and ends when the proposal is drafted. Pure, like
 * every workflow: it asks for the `proposal.draft` effect and never writes itself.
 */
import { s, type Infer } from '@steward/core';
import {
  complete,
  defineStart,
  defineWorkflowPackage,
  draftProposal,
  proposalOutcome,
  resourceRefOf,
  type Command,
  type Route,
  type WorkflowDefinition,
} from '@steward/workflows';
import { callbackTaskCreate, CALLBACK_CODE } from './callback-action.js';

export const NOSHOW_CALLBACK = 'noshow-callback';

/** What the route starts it with (references only), declared once for the route and the workflow. */
export const callbackStart = defineStart(
  NOSHOW_CALLBACK,
  s.object({ eventId: s.string(), connectionId: s.string(), appointmentRef: s.string() }),
);
export type CallbackStart = Infer<typeof callbackStart.payload>;

export type CallbackState = {
  appointmentRef: string | null;
  proposalId: string | null;
  outcome: string | null;
};

export const noshowCallbackWorkflow: WorkflowDefinition<CallbackState> = {
  type: NOSHOW_CALLBACK,
  version: 1,
  initialState: { appointmentRef: null, proposalId: null, outcome: null },
  decide(state, input, ctx) {
    const start = callbackStart.read(input);
    if (start !== undefined) {
      const commands: Command[] = [
        draftProposal.request(
          {
            action: callbackTaskCreate.type,
            connectionId: start.connectionId,
            workflow: NOSHOW_CALLBACK,
            correlationId: ctx.correlationKey,
            patientEventId: start.eventId,
            target: { resourceType: 'Task' },
            payload: {
              resourceType: 'Task',
              status: 'requested',
              intent: 'order',
              code: { coding: [{ ...CALLBACK_CODE }] },
              description: 'Call the patient to rebook the missed appointment',
              for: { reference: 'Patient/{{patient}}' },
              focus: { reference: start.appointmentRef },
            },
            evidence: {
              eventIds: [start.eventId],
              resources: [start.appointmentRef],
              reasonCode: 'missed-appointment',
            },
            priority: 2,
          },
          'callback',
        ),
      ];
      return { state: { ...state, appointmentRef: start.appointmentRef }, commands };
    }
    const drafted = draftProposal.outcome(input);
    if (drafted !== undefined) {
      const proposalId = drafted.ok ? drafted.value.proposalId : null;
      const outcome = drafted.ok ? 'proposed' : `error:${drafted.code}`;
      return { state: { ...state, proposalId, outcome }, commands: [complete({ proposalId, outcome })] };
    }
    const ended = proposalOutcome.read(input);
    if (ended !== undefined) return { state: { ...state, outcome: ended.status } };
    return { state };
  },
};

/** A missed appointment starts one call-back per appointment (the correlation key). */
export const noshowCallbackRoute: Route = (event) => {
  const ref = resourceRefOf(event);
  if (event.type !== 'appointment.no-show' || ref === undefined) return Promise.resolve([]);
  return Promise.resolve([
    {
      kind: 'start',
      type: NOSHOW_CALLBACK,
      correlationKey: `${NOSHOW_CALLBACK}:${event.connectionId}:${ref.replace('/', ':')}`,
      payload: callbackStart.encode({ eventId: event.id, connectionId: event.connectionId, appointmentRef: ref }),
    },
  ]);
};

export const noshowCallbackPackage = defineWorkflowPackage({
  name: 'example-noshow-callback',
  definitions: [noshowCallbackWorkflow],
  routes: () => [noshowCallbackRoute],
});
