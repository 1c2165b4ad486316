/** @module An example outside agent on Steward's platform API (issue 18): no-shows in, rebooking proposals out. */
export { RebookingAgent, listensTo, type AgentConfig, type Handled } from './agent.js';
export { decide, ruleRationale, serviceOf, type Decision, type NoShowContext } from './rebooking.js';
export { receiveWebhooks, type WebhookReceiver } from './webhooks.js';
