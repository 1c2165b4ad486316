/**
 * @module Each route's validators and response serializers compiled when the route first needs
 * them, not all at start: Fastify's default compilers (Ajv, fast-json-stringify), the same options
 * and the same compiled code, only later. At start Fastify compiled every schema of every route
 * (its parameters, body, query, headers, and a serializer per response status, the error statuses
 * included): about 0.4 CPU-seconds per app on the two-core machine, most of opening one, while a
 * process (a test file, a `steward` command) uses a few routes of the ~200. `compileAllSchemas`
 * compiles what is still pending (the schema test proves every schema compiles).
 */
import { createRequire } from 'node:module';
import type { FastifyServerOptions } from 'fastify';

type Compile<F> = (routeSchema: { schema: unknown; httpPart?: string } & Record<string, unknown>) => F;
type ValidatorBuilder = (externalSchemas: unknown, ajvOptions: unknown) => Compile<Validate>;
type SerializerBuilder = (externalSchemas: unknown, serializerOptions: unknown) => Compile<(data: unknown) => string>;
interface Validate {
  (data: unknown, context?: unknown): unknown;
  errors?: unknown;
  schemaEnv?: unknown;
}

// Fastify's own default compilers, as Fastify itself loads them (its dependencies, not ours).
const fastifyRequire = createRequire(createRequire(import.meta.url).resolve('fastify'));
const defaultValidators = (fastifyRequire('@fastify/ajv-compiler') as () => ValidatorBuilder)();
const defaultSerializers = (
  fastifyRequire('@fastify/fast-json-stringify-compiler') as { SerializerSelector: () => SerializerBuilder }
).SerializerSelector();

/** The compilations not yet made, by the app they were attached to. */
const pendingOf = new WeakMap<object, Set<() => void>>();

/**
 * The `schemaController` option for `Fastify(…)`; `attach(app)` once the app exists, for `compileAllSchemas`.
 * Header schemas are lower-cased (property names and `required`) as Fastify does for its own
 * compiler, since HTTP header names arrive lower-cased.
 */
export function lazySchemaCompilers(): {
  readonly schemaController: NonNullable<FastifyServerOptions['schemaController']>;
  attach(app: object): void;
} {
  const pending = new Set<() => void>();
  const buildValidator: ValidatorBuilder = (externalSchemas, ajvOptions) => {
    const compile = defaultValidators(externalSchemas, ajvOptions);
    return (routeSchema) => {
      const input =
        routeSchema.httpPart === 'headers' ? { ...routeSchema, schema: lowerCased(routeSchema.schema) } : routeSchema;
      let compiled: Validate | undefined;
      const force = (): Validate => {
        if (compiled === undefined) {
          compiled = compile(input);
          pending.delete(force);
        }
        return compiled;
      };
      pending.add(force);
      const validate = ((data: unknown, context?: unknown) =>
        context === undefined ? force()(data) : force()(data, context)) as Validate;
      // Fastify reads the compiled validator's `schemaEnv` (Ajv's: then it passes the parent object)
      // before calling it, and its `errors` after a refusal.
      Object.defineProperty(validate, 'schemaEnv', { get: () => force().schemaEnv });
      Object.defineProperty(validate, 'errors', { get: () => compiled?.errors });
      return validate;
    };
  };
  const buildSerializer: SerializerBuilder = (externalSchemas, serializerOptions) => {
    const compile = defaultSerializers(externalSchemas, serializerOptions);
    return (routeSchema) => {
      let compiled: ((data: unknown) => string) | undefined;
      const force = (): ((data: unknown) => string) => {
        if (compiled === undefined) {
          compiled = compile(routeSchema);
          pending.delete(force);
        }
        return compiled;
      };
      pending.add(force);
      return (data: unknown) => force()(data);
    };
  };
  return {
    schemaController: { compilersFactory: { buildValidator, buildSerializer } } as NonNullable<
      FastifyServerOptions['schemaController']
    >,
    attach: (app) => pendingOf.set(app, pending),
  };
}

/**
 * Compiles every schema `app` has not compiled yet (call it after `app.ready()`, when every route
 * has handed its schemas over); throws as Fastify's start did for a schema that does not compile.
 * Returns how many it compiled.
 */
export function compileAllSchemas(app: object): number {
  const pending = pendingOf.get(app);
  if (pending === undefined) return 0;
  let n = 0;
  for (const force of [...pending]) {
    force();
    n++;
  }
  return n;
}

function lowerCased(schema: unknown): unknown {
  if (typeof schema !== 'object' || schema === null || Array.isArray(schema)) return schema;
  const s = schema as { properties?: Record<string, unknown>; required?: unknown };
  return {
    ...s,
    ...(s.properties !== undefined
      ? { properties: Object.fromEntries(Object.entries(s.properties).map(([k, v]) => [k.toLowerCase(), v])) }
      : {}),
    ...(Array.isArray(s.required)
      ? { required: (s.required as unknown[]).map((r) => (typeof r === 'string' ? r.toLowerCase() : r)) }
      : {}),
  };
}
