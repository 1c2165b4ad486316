/** @module Array parameters in PostgreSQL's text form, the same through both drivers. */
import { UnexpectedError } from '@steward/core';

/**
 * `{1,2,3}`: for integers, uuids and effect keys (`<uuid>/<step>/<n>`), which need no quoting
 * (anything else is refused).
 */
export function pgArray(values: readonly (string | number)[]): string {
  for (const v of values) {
    if (typeof v === 'number' ? !Number.isSafeInteger(v) : !/^[0-9a-f/-]{1,100}$/i.test(v)) {
      throw new UnexpectedError('pgArray takes integers, uuids and effect keys only');
    }
  }
  return `{${values.join(',')}}`;
}
