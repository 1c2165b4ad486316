/**
 * @module Configuration shapes: outbound destinations (/egress), a connection's referral rules,
 * and the contact graph's reads. A rule set in a request is validated by its package (every
 * problem by path); the contact graphs are sent whole, as JSON objects, their shapes owned by
 * their package (docs/architecture.md).
 */
import { Type } from 'typebox';
import { referralRuleDecisions, vendorIds, type RuleOrigin } from '@steward/ehr';
import { exportFormats } from '@steward/relationships';
import { DateTime, JsonBody, JsonObject, List, Maybe, Nullable, SiteCode, Strict } from './common.js';

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

const Decision = Type.Enum(referralRuleDecisions);
const origins: Readonly<Record<RuleOrigin, true>> = { site: true, vendor: true };
const Origin = Type.Enum(Object.keys(origins) as RuleOrigin[]);
const Patterns = Maybe(List(Type.Object({ system: Maybe(Type.String()), code: Maybe(Type.String()) })));
const Words = Maybe(List(Type.String()));
const ruleFields = {
  id: Type.String(),
  decision: Decision,
  description: Type.String(),
  when: Type.Object({
    category: Patterns,
    code: Patterns,
    performerType: Patterns,
    performerKind: Words,
    intent: Words,
    status: Words,
    source: Words,
    serviceLabel: Maybe(Type.String()),
  }),
};
const Rule = Type.Object(ruleFields);

/** A connection's referral rules: the vendor's defaults, the site's override, and the rules in force. */
export const RuleSets = Type.Object({
  connection: Type.String(),
  vendor: Type.Enum(vendorIds),
  defaults: Type.Object({ rules: List(Rule), otherwise: Decision }),
  override: Type.Object({ rules: List(Rule), disabled: List(Type.String()), otherwise: Maybe(Decision) }),
  version: Type.Integer({ description: '0 while the site has never changed the defaults' }),
  updatedBy: Nullable(Type.String()),
  updatedAt: Nullable(DateTime),
  effective: Type.Object({
    rules: List(Type.Object({ ...ruleFields, origin: Origin })),
    otherwise: Decision,
    otherwiseOrigin: Origin,
  }),
});
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

/** One row of a practice's export as the CLI read it: where it was (never its content), its values or why not. */
const ContactSourceRow = Strict({
  file: Type.String({ minLength: 1, maxLength: 300 }),
  row: Type.Integer({ minimum: 0 }),
  values: Type.Optional(JsonBody),
  problem: Type.Optional(Type.String({ maxLength: 500 })),
});
/**
 * `steward contacts import`'s files, read and split into rows by the CLI (`readContactSource`);
 * the server checks the mapping again (its package's `parseMapping`) and imports them. `digest`
 * (SHA-256 of the files) finds an interrupted run of the same export again, to resume it.
 */
export const ContactImportBody = Strict({
  site: SiteCode,
  /** Plan and report, write nothing: the report a commit would give (`preview: true`). */
  dryRun: Type.Optional(Type.Boolean()),
  mapping: JsonBody,
  digest: Type.String({ pattern: '^[0-9a-f]{64}$' }),
  contacts: Type.Array(ContactSourceRow),
  relationships: Type.Array(ContactSourceRow),
  notes: Type.Array(ContactSourceRow),
});
/** One uploaded file of an export: its name (the mapping names the others by it) and its text. */
const ContactUploadFile = Strict({
  name: Type.String({ minLength: 1, maxLength: 200, pattern: '^[^/\\\\]+$' }),
  content: Type.String(),
});
/**
 * The console's upload: the mapping, the contacts file and the files the mapping names, as text;
 * the server parses them with the same reader the CLI uses (`contactSourceOfFiles`).
 */
export const ContactImportFilesBody = Strict({
  site: SiteCode,
  dryRun: Type.Optional(Type.Boolean()),
  mapping: ContactUploadFile,
  contacts: ContactUploadFile,
  files: Type.Array(ContactUploadFile, { maxItems: 4 }),
});
export const ContactSearchQuery = Strict({ site: contactSite, q: Type.String({ minLength: 1, maxLength: 200 }) });
export const ContactSearchResult = Strict({
  items: Type.Array(
    Strict({
      id: Type.String(),
      kind: Type.Union([Type.Literal('person'), Type.Literal('organization')]),
      name: Type.String(),
      birthDate: Type.Optional(Type.String()),
    }),
  ),
  more: Type.Boolean(),
});
/** The reconciliation report: counts per kind, the hash check, what was not imported and why. */
export const ContactImportReport = JsonObject;
