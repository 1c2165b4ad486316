/** @module The clinic directory's shapes: an entry, a participant as a list names it, the search and the network mark. */
import { Type } from 'typebox';
import { directoryKinds } from '@steward/clinic';
import { List, Nullable, Strict, Uuid } from './common.js';

const NullableString = Nullable(Type.String());
const Network = Type.Enum(['in', 'out']);

/** A participant (a referral's requester or destination) by name, or its raw reference, unresolved. */
export const ParticipantView = Type.Object({
  kind: Type.String(),
  reference: NullableString,
  status: Type.Enum(['resolved', 'unresolved']),
  entryId: NullableString,
  name: NullableString,
  service: NullableString,
  organization: NullableString,
  network: Nullable(Network),
});

export const DirectoryEntry = Type.Object({
  id: Type.String(),
  connectionId: Type.String(),
  kind: Type.Enum(directoryKinds),
  reference: Type.String(),
  ehrId: NullableString,
  status: Type.Enum(['resolved', 'unresolved']),
  name: NullableString,
  identifiers: List(Type.Object({ system: Type.String(), value: Type.String() })),
  specialties: List(Type.String()),
  telecom: List(Type.Object({ system: Type.String(), value: Type.String(), use: Type.Optional(Type.String()) })),
  address: NullableString,
  active: Nullable(Type.Boolean()),
  organizationName: NullableString,
  links: Type.Object({
    organization: Type.Optional(Type.String()),
    practitioner: Type.Optional(Type.String()),
    locations: Type.Optional(List(Type.String())),
    services: Type.Optional(List(Type.String())),
    partOf: Type.Optional(Type.String()),
  }),
  sources: List(Type.Enum(['fhir', 'hl7v2', 'reference'])),
  network: Nullable(Network),
  lastError: NullableString,
  firstSeen: Type.String({ format: 'date-time' }),
  updatedAt: Type.String({ format: 'date-time' }),
});

/** One entry with the network it resolves to (its own mark, its organization's, or out once any is marked in). */
export const DirectoryEntryDetail = Type.Object({ ...DirectoryEntry.properties, resolvedNetwork: Nullable(Network) });

export const DirectoryQuery = Strict({
  q: Type.Optional(Type.String({ maxLength: 200 })),
  kind: Type.Optional(Type.Enum(directoryKinds)),
  connection: Type.Optional(Uuid),
  status: Type.Optional(Type.Enum(['resolved', 'unresolved'])),
  network: Type.Optional(Network),
  limit: Type.Optional(Type.String({ pattern: '^[1-9]\\d{0,2}$', description: '1-200, default 50' })),
});

export const DirectoryList = Type.Object({ items: List(DirectoryEntry) });

export const NetworkBody = Strict({ network: Nullable(Network) });
