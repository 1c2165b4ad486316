/**
 * @module Screen automation's requests and answers (packages/automation): screen maps per EHR
 * connection and site (proposed, reviewed by a second person, versioned, compared), and the
 * automation account's credentials, which are written here and never read back — an answer says
 * only whether they are set, when and by whom. A map's own shape is checked by the service, which
 * names every problem by its JSON pointer.
 */
import { Type } from 'typebox';
import { DateTime, JsonBody, JsonObject, List, Maybe, Nullable, SiteCode, Strict } from './common.js';

/** An EHR connection by its name (`clinic-screens`) or its id. */
const ConnectionRef = Type.String({
  pattern: '^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$',
  description: 'the connection’s name or id',
});
export const MapParams = Strict({ connectionId: ConnectionRef, site: SiteCode });
export const MapVersionParams = Strict({
  connectionId: ConnectionRef,
  site: SiteCode,
  version: Type.String({ pattern: '^[1-9][0-9]{0,8}$' }),
});
export const DiffQuery = Strict({
  against: Type.Optional(
    Type.String({
      pattern: '^[1-9][0-9]{0,8}$',
      description: 'the version to compare with (default: the one it was proposed on)',
    }),
  ),
});

export const ProposeMapBody = Strict({
  map: Type.Unsafe<unknown>(JsonBody),
  note: Type.Optional(Type.String({ maxLength: 2000, description: 'what changed and why, for the reviewer' })),
});
export const ReviewMapBody = Strict({
  decision: Type.Enum(['approve', 'reject']),
  reason: Type.Optional(Type.String({ maxLength: 2000, description: 'required to reject: what to change' })),
});

const Status = Type.Enum(['proposed', 'approved', 'rejected', 'superseded']);
export const MapVersion = Type.Object({
  connectionId: Type.String(),
  connectionName: Maybe(Type.String({ description: 'the connection’s name, while it is enabled' })),
  site: Type.String(),
  version: Type.Integer(),
  status: Status,
  hash: Type.String({ description: "SHA-256 of the map's canonical JSON" }),
  basedOn: Nullable(Type.Integer()),
  note: Nullable(Type.String()),
  proposedBy: Type.String(),
  proposedByName: Maybe(Type.String()),
  proposedAt: DateTime,
  reviewedBy: Nullable(Type.String()),
  reviewedByName: Maybe(Type.String()),
  reviewedAt: Nullable(DateTime),
  reason: Nullable(Type.String()),
  supersededBy: Nullable(Type.Integer()),
  counts: Type.Object({ screens: Type.Integer(), forms: Type.Integer(), fields: Type.Integer() }),
});
export const MapListing = Type.Intersect([
  MapVersion,
  Type.Object({ approvedVersion: Nullable(Type.Integer({ description: 'the version runs follow, if any' })) }),
]);
export const MapList = Type.Object({ items: List(MapListing) });
export const MapHistory = Type.Object({ items: List(MapVersion) });
export const MapRecord = Type.Intersect([MapVersion, Type.Object({ map: JsonObject })]);
export const MapDiff = Type.Object({
  from: Nullable(Type.Integer()),
  to: Type.Integer(),
  changes: List(
    Type.Object({
      path: Type.String(),
      change: Type.Enum(['added', 'removed', 'changed', 'reordered']),
      before: Maybe(Type.String()),
      after: Maybe(Type.String()),
    }),
  ),
  summary: Type.Object({
    screens: List(Type.String()),
    forms: List(Type.String()),
    fields: List(Type.String()),
    labels: Type.Integer(),
  }),
});

export const SetCredentialsBody = Strict({
  username: Type.String({ minLength: 1, maxLength: 200 }),
  password: Type.String({ minLength: 1, maxLength: 1000 }),
  totpSecret: Type.Optional(Type.String({ minLength: 1, maxLength: 200, description: 'base32, as the EHR showed it' })),
});
export const CredentialsQuery = Strict({ connectionId: Type.Optional(ConnectionRef) });
export const CredentialStatus = Type.Object({
  connectionId: Type.String(),
  connectionName: Maybe(Type.String()),
  site: Type.String(),
  hasTotp: Type.Boolean(),
  version: Type.Integer(),
  setBy: Type.String(),
  setByName: Maybe(Type.String()),
  setAt: DateTime,
});
export const CredentialStatusList = Type.Object({ items: List(CredentialStatus) });
