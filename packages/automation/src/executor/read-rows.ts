/**
 * @module A screen read as a run: from the home screen, the map's links to the read's screen, the
 * day typed into its day field (in the screen's own format) when the read is of one day, then the
 * table's rows by their column headers. A column the map names but the screen lacks halts the run
 * naming its header; the rows read are the step's value (sealed by the recorder).
 */
import { DateTime } from 'luxon';
import { RunHalt, type RunSession } from './session.js';
import { one } from './patient.js';
import { readTable } from './screen-read.js';

export type ReadRow = Readonly<Record<string, string>>;

export async function readRows(s: RunSession, readId: string, day: string | undefined): Promise<ReadRow[]> {
  const read = s.map.reads?.find((r) => r.id === readId);
  if (read === undefined) throw new RunHalt('missing-element', `the map has no screen read ${readId}`);
  if (day !== undefined && read.day === undefined)
    throw new RunHalt('missing-element', `the map's read ${readId} has no day field`);
  await s.step('navigate', read.screen, async () => {
    await s.page.goto(new URL(s.map.home, s.map.origin).href);
    await s.expect(s.map.screens.filter((x) => x.kind === 'work').map((x) => x.id));
    for (const link of read.open) {
      const target = await one(s, link);
      const href = await target.getAttribute('href');
      // Links are followed by address (no input event); buttons are clicked.
      if (href !== null) await s.page.goto(new URL(href, s.page.url()).href);
      else await s.click(target);
      await s.page.waitForLoadState('load');
    }
    await s.expect([read.screen]);
    return { result: undefined };
  });
  if (day !== undefined && read.day !== undefined) {
    const spec = read.day;
    const shown = DateTime.fromISO(day, { zone: 'UTC' });
    if (!shown.isValid) throw new RunHalt('missing-element', 'the day to read is not a date (YYYY-MM-DD)');
    await s.step('fill', 'day', async () => {
      await s.expect([read.screen]);
      const text = shown.toFormat(spec.format);
      await s.fill(await one(s, spec.field), text);
      await s.click(await one(s, spec.submit));
      await s.page.waitForLoadState('load');
      await s.expect([read.screen]);
      return { result: undefined, value: text };
    });
  }
  return s.step('read', readId, async () => {
    await s.expect([read.screen]);
    const { rows, missing } = await readTable(
      await one(s, read.table),
      read.columns.map((c) => ({ key: c.key, headers: [c.header, ...(c.synonyms ?? [])] })),
    );
    if (missing.length > 0) {
      const headers = missing.map((k) => read.columns.find((c) => c.key === k)?.header ?? k);
      throw new RunHalt('missing-element', `column not on screen: ${headers.join(', ')}`);
    }
    return { result: rows, value: JSON.stringify(rows), detail: `${rows.length} rows` };
  });
}
