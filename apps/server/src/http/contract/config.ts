/**
 * @module Configuration shapes: outbound destinations (/egress), a connection's referral rules,
 * and the contact graph's reads. The rule sets and contact graphs are sent whole, as JSON objects:
 * their shapes are owned and validated by their packages (docs/architecture.md).
 */
import { Type } from 'typebox';
import { exportFormats } from '@steward/relationships';
import { JsonBody, JsonObject, List, Maybe, Strict } from './common.js';

export const Destination = Type.Object({
  id: Type.String(),
  name: Type.String(),
  kind: Type.String(),
  baseUrl: Type.String(),
  baaOnRecord: Type.Boolean(),
  baaReference: Maybe(Type.String()),
  allowPrivateNetwork: Type.Boolean(),
});
export const DestinationList = Type.Object({ items: List(Destination) });
export const NewDestination = Strict({
  name: Type.String({ pattern: '^[a-z0-9][a-z0-9._-]{0,63}$' }),
  kind: Type.Enum(['ehr', 'messaging', 'ai', 'other']),
  baseUrl: Type.String({ minLength: 8, maxLength: 2000 }),
  baaOnRecord: Type.Boolean(),
  baaReference: Type.Optional(Type.String({ maxLength: 500 })),
  allowPrivateNetwork: Type.Optional(Type.Boolean()),
});

export const ConnectionNameParams = Type.Object({ name: Type.String({ minLength: 1, maxLength: 100 }) });
/** A rule set as its package validates it (every problem by path). */
export const RuleSetBody = JsonBody;
export const RuleSets = JsonObject;
export const ReferralDecision = Type.Object({
  referral: Type.Boolean(),
  rule: Type.String(),
  origin: Type.String(),
  description: Type.String(),
});

const contactSite = Type.String({ pattern: '^[a-z0-9*][a-z0-9._-]{0,63}$' });
export const ContactParams = Type.Object({ id: Type.String({ format: 'uuid' }) });
export const ContactExportQuery = Strict({ site: contactSite, format: Type.Enum(exportFormats) });
export const ContactSiteQuery = Strict({ site: contactSite });
export const ContactGraph = JsonObject;
