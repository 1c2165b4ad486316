/** The queue's keyset cursor: the (priority, due_at, id) of the last row of a page, opaque to callers. */
import { ValidationError } from '@steward/core';

export const QueueCursor = {
  encode(row: { readonly priority: number; readonly due_at: Date; readonly id: string }): string {
    return Buffer.from(JSON.stringify([row.priority, row.due_at.toISOString(), row.id]), 'utf8').toString('base64url');
  },
  decode(cursor: string): { priority: number; dueAt: Date; id: string } {
    try {
      const [priority, dueAt, id] = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as unknown[];
      if (
        typeof priority === 'number' &&
        typeof dueAt === 'string' &&
        typeof id === 'string' &&
        /^[0-9a-f-]{36}$/i.test(id) &&
        !Number.isNaN(Date.parse(dueAt))
      )
        return { priority, dueAt: new Date(dueAt), id };
    } catch {
      // fall through to the one error below
    }
    throw new ValidationError('invalid cursor', [{ path: 'cursor', message: 'the next of a previous page' }]);
  },
};
