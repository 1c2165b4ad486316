/**
 * @module The shapes every area of the API shares, declared once with TypeBox: each is at the same
 * time the JSON schema Fastify validates and serializes with, the source of the OpenAPI document
 * (and so of the console's generated types), and, through `Static`, the server's TypeScript type.
 * Every request object forbids unknown fields (`Strict`).
 */
import { Type, type Static, type TObjectOptions, type TProperties, type TSchema } from 'typebox';

export const uuidPattern = '^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$';

/** An object that refuses fields it does not declare: every body, query and params schema. */
export function Strict<T extends TProperties>(properties: T, options: TObjectOptions = {}) {
  return Type.Object(properties, { ...options, additionalProperties: false });
}

export const Uuid = Type.String({ pattern: uuidPattern });
export const SiteCode = Type.String({ pattern: '^[a-z0-9][a-z0-9._-]{0,63}$' });
export const ScopeCode = Type.String({ pattern: '^(\\*|[a-z0-9][a-z0-9._-]{0,63})$' });
/** `'true' | 'false'` in a query string: no coercion, so a flag is one of the two words. */
export const QueryFlag = Type.Enum(['true', 'false']);

/**
 * An instant, sent as an ISO 8601 string. The server may hand the serializer a `Date` (it writes
 * `toISOString()`); the OpenAPI document and the console only ever see the string.
 */
export const DateTime = Type.Unsafe<string | Date>(Type.String({ format: 'date-time' }));

/** Any JSON value the API passes through without a fixed shape. */
export const Json = Type.Unknown();
/**
 * A JSON object passed through whole (every field kept by the serializer): FHIR resources,
 * payloads, evidence. `object` for the server, whose domain interfaces carry no index signature.
 */
export const JsonObject = Type.Unsafe<object>(Type.Object({}, { additionalProperties: true }));
/** A JSON object in a request body, any fields (a payload checked later by its own rules). */
export const JsonBody = Type.Unsafe<Record<string, unknown>>(Type.Object({}, { additionalProperties: true }));

/**
 * An answer's optional field. The server's domain types say `x: T | undefined` (the key always
 * there); the serializer leaves an undefined value out, so the document says `x?: T`.
 */
export function Maybe<T extends TSchema>(schema: T) {
  return Type.Optional(Type.Unsafe<Static<T> | undefined>(schema));
}

/** A value or null (a field always sent, null when there is none). */
export function Nullable<T extends TSchema>(schema: T) {
  return Type.Union([schema, Type.Null()]);
}

/** An object with one property per key of a closed list, each of one shape (figures by stage). */
export function PerKey<K extends string, T extends TSchema>(keys: readonly K[], value: T) {
  return Type.Unsafe<Readonly<Record<K, Static<T>>>>(
    Type.Object(Object.fromEntries(keys.map((k) => [k, value])) as Record<K, T>),
  );
}

/** An answer's array: the server hands over readonly arrays; the document says `T[]`. */
export function List<T extends TSchema>(item: T, options: { description?: string } = {}) {
  return Type.Unsafe<readonly Static<T>[]>(Type.Array(item, options));
}

export const IdParams = Strict({ id: Uuid });
export type IdParams = Static<typeof IdParams>;

/** A keyset page: the items and, when there are more, the cursor for the next page. */
export function Page<T extends TSchema>(item: T) {
  return Type.Object({ items: List(item), next: Maybe(Type.String()) });
}

export const ErrorDetail = Type.Object({ path: Maybe(Type.String()), message: Type.String() });
/** Every error the API answers with (docs/errors.md). */
export const ErrorBody = Type.Object({
  code: Type.String(),
  message: Type.String(),
  details: List(ErrorDetail),
  requestId: Type.String(),
});
export type ErrorBody = Static<typeof ErrorBody>;

/** The standard error responses, for the OpenAPI document. */
export const errors = { '4xx': ErrorBody, '5xx': ErrorBody } as const;
/** An answer with no body. */
export const NoContent = Type.Null();

/**
 * A list item's patient as the minimum-necessary rule lets this reader see it (clinic's
 * display-rule.ts): the Steward id always; name, birth date and the MRN's last four only for roles
 * and purposes that may see them. Nothing else (no SSN, licence or address) is ever carried.
 */
export const PatientLabel = Type.Object(
  {
    id: Type.String(),
    name: Maybe(Type.String({ description: 'Family, Given' })),
    birthDate: Maybe(Type.String({ description: 'YYYY-MM-DD' })),
    mrn: Maybe(Type.String({ description: 'masked: the last four characters only' })),
  },
  { additionalProperties: false },
);
