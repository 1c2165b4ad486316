// A test reporter that lists skipped tests, grouped by reason, after the run.
export default async function* skipSummary(source) {
  const skipped = new Map();
  for await (const event of source) {
    if (event.type === 'test:skip' || (event.type === 'test:pass' && event.data.skip !== undefined)) {
      const reason = typeof event.data.skip === 'string' ? event.data.skip : 'skipped';
      const names = skipped.get(reason) ?? [];
      names.push(`${event.data.file ? event.data.file.split('/dist/')[1] + ': ' : ''}${event.data.name}`);
      skipped.set(reason, names);
    }
  }
  if (skipped.size === 0) return;
  yield '\n=== Skipped tests ===\n';
  for (const [reason, names] of skipped) {
    yield `${names.length} skipped because: ${reason}\n`;
    for (const n of names) yield `  - ${n}\n`;
  }
  yield '\n';
}
