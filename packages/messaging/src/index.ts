/** @module @steward/messaging: the channel port, the local outbox (embedded mode), contact preferences, templates, its own quiet hours, and the committer of message proposals. */
export { channelKinds } from './message-channel.js';
export type { ChannelKind, MessageChannel, OutboundMessage } from './message-channel.js';
export { LocalOutbox } from './local-outbox.js';
export type { OutboxItem, OpenedMessage, ThreadMessage, PatientReply } from './local-outbox.js';
export { ContactPreferenceStore } from './contact-preferences.js';
export type { ContactPreferences, StoredPreferences, MessagingGovernance } from './contact-preferences.js';
export { renderMessage, replyIntent, languageOf, templateLanguages, templateNames } from './message-templates.js';
export type { TemplateLanguage, TemplateVars, ReplyIntent } from './message-templates.js';
export { MessageCommitter } from './message-committer.js';
export type { MessageCommitterOptions } from './message-committer.js';
export { OutboxRetention } from './outbox-retention.js';
export { deliverableAt, inQuietHours, defaultClinicHours } from './quiet-hours.js';
export type { QuietHours, ClinicHours } from './quiet-hours.js';
