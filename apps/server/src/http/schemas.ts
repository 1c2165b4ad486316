/** @module JSON schemas shared by routes. Every object forbids unknown fields. */
export const uuidPattern = '^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$';
export const siteCode = { type: 'string', pattern: '^[a-z0-9][a-z0-9._-]{0,63}$' } as const;
export const scopeCode = { type: 'string', pattern: '^(\\*|[a-z0-9][a-z0-9._-]{0,63})$' } as const;
export const idParams = {
  type: 'object',
  additionalProperties: false,
  required: ['id'],
  properties: { id: { type: 'string', pattern: uuidPattern } },
} as const;

export const errorResponse = {
  type: 'object',
  properties: {
    code: { type: 'string' },
    message: { type: 'string' },
    details: {
      type: 'array',
      items: { type: 'object', properties: { path: { type: 'string' }, message: { type: 'string' } } },
    },
    requestId: { type: 'string' },
  },
} as const;

/** The standard error responses, for the OpenAPI document. */
export const errors = { '4xx': errorResponse, '5xx': errorResponse } as const;
