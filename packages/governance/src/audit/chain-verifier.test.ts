import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { purposesOfUse } from '@steward/core';
import { auditEvents, type AuditEntryInput } from './audit-entry.js';
import {
  ChainVerifier,
  entryTuple,
  type StoredCheckpointRow,
  type StoredEntryRow,
  type StoredEntryTuple,
  type VerifyResult,
} from './chain-verifier.js';
import { memoryLog, rehash, type MemoryLog } from './test-fixtures.js';

/** Runs the verifier over `rows` in pages of `pageSize`, as verifyAuditLog does. */
function run(
  log: MemoryLog,
  rows: readonly StoredEntryRow[] = log.rows,
  pageSize = 7,
  cps: readonly StoredCheckpointRow[] = log.checkpoints,
): VerifyResult {
  const v = new ChainVerifier(log.keys);
  let low = -Infinity;
  for (let i = 0; i < rows.length; i += pageSize) {
    const page = rows.slice(i, i + pageSize);
    const last = (page.at(-1) as StoredEntryRow).seq;
    if (
      !v.page(
        page,
        cps.filter((c) => c.seq > low && c.seq <= last),
      )
    )
      return v.failure as VerifyResult;
    low = last;
  }
  return v.finish(cps.filter((c) => c.seq > low));
}

const text = fc.string({ unit: 'grapheme', maxLength: 12 });
const entryArb: fc.Arbitrary<AuditEntryInput> = fc.record(
  {
    actor: fc.record({
      kind: fc.constantFrom('user' as const, 'service' as const),
      id: text.filter((s) => s.length > 0),
      name: text,
      authMethod: fc.constantFrom('password+totp' as const, 'api-token' as const),
    }),
    event: fc.constantFrom(...auditEvents),
    action: fc.constantFrom('C' as const, 'R' as const, 'U' as const, 'D' as const, 'E' as const),
    outcome: fc.constantFrom('success' as const, 'denied' as const, 'failure' as const),
    patientIds: fc.array(text, { maxLength: 3 }),
    entity: fc.record({ kind: text, id: text }),
    fields: fc.array(text, { maxLength: 3 }),
    purposeOfUse: fc.constantFrom(...purposesOfUse),
    reason: text,
  },
  { requiredKeys: ['actor', 'event', 'action', 'outcome'] },
);

const logArb = fc.record({
  entries: fc.array(entryArb, { minLength: 2, maxLength: 40 }),
  every: fc.integer({ min: 1, max: 12 }),
  pageSize: fc.integer({ min: 1, max: 15 }),
});

function failure(r: VerifyResult): { firstBadSeq: number; problem: string } {
  assert.equal(r.ok, false, 'verify should fail');
  return r.ok ? { firstBadSeq: -1, problem: '' } : { firstBadSeq: r.firstBadSeq, problem: r.problem };
}

describe('ChainVerifier (property-based)', () => {
  it('accepts every intact log, whatever the entries and page sizes', () => {
    fc.assert(
      fc.property(logArb, ({ entries, every, pageSize }) => {
        const log = memoryLog(entries, every);
        const r = run(log, log.rows, pageSize);
        assert.equal(r.ok, true, JSON.stringify(r));
        assert.equal(r.ok && r.headSeq, entries.length);
      }),
      { numRuns: 150 },
    );
  });

  it('finds an altered entry at its position, rehashed or not', () => {
    fc.assert(
      fc.property(logArb, fc.nat(), fc.boolean(), ({ entries, every, pageSize }, pick, rehashed) => {
        const log = memoryLog(entries, every);
        const i = pick % entries.length;
        const rows = [...log.rows];
        const row = rows[i] as StoredEntryRow;
        const altered = { ...row, entry: row.entry.replace(/"outcome":"[a-z]+"/, '"outcome":"tampered"') };
        rows[i] = rehashed ? rehash(altered, row.prevHash) : altered;
        const f = failure(run(log, rows, pageSize));
        if (!rehashed || i < entries.length - 1) {
          assert.deepEqual(f, { firstBadSeq: i + 1, problem: 'altered' });
        } else {
          // The last entry rewritten and rehashed: only the checkpoint over it can tell.
          assert.equal(f.problem, 'altered');
          assert.ok(f.firstBadSeq <= i + 1);
        }
      }),
      { numRuns: 150 },
    );
  });

  it('finds a query column that disagrees with the hashed entry', () => {
    fc.assert(
      fc.property(
        logArb,
        fc.nat(),
        fc.constantFrom('actorId', 'outcome', 'patientIds', 'atUs'),
        ({ entries, every, pageSize }, pick, column) => {
          const log = memoryLog(entries, every);
          const i = pick % entries.length;
          const rows = [...log.rows];
          const row = rows[i] as StoredEntryRow;
          const changed =
            column === 'actorId'
              ? { ...row, actorId: `${row.actorId}x` }
              : column === 'outcome'
                ? { ...row, outcome: 'x' }
                : column === 'patientIds'
                  ? { ...row, patientIds: [...row.patientIds, 'p'] }
                  : { ...row, atUs: row.atUs + 1 };
          rows[i] = changed;
          assert.deepEqual(failure(run(log, rows, pageSize)), { firstBadSeq: i + 1, problem: 'altered' });
        },
      ),
      { numRuns: 100 },
    );
  });

  it('finds a deleted entry at its position, renumbered or not', () => {
    fc.assert(
      fc.property(logArb, fc.nat(), fc.boolean(), ({ entries, every, pageSize }, pick, renumber) => {
        const log = memoryLog(entries, every);
        const i = pick % entries.length;
        const rows = log.rows.filter((_, j) => j !== i).map((r, j) => (renumber && j >= i ? { ...r, seq: j + 1 } : r));
        const f = failure(run(log, rows, pageSize));
        assert.equal(f.firstBadSeq, i + 1);
        assert.ok(['deleted', 'truncated'].includes(f.problem), f.problem);
      }),
      { numRuns: 150 },
    );
  });

  it('finds two swapped entries at the first of them', () => {
    fc.assert(
      fc.property(logArb, fc.nat(), ({ entries, every, pageSize }, pick) => {
        const log = memoryLog(entries, every);
        const i = pick % (entries.length - 1);
        const rows = [...log.rows];
        const a = rows[i] as StoredEntryRow;
        const b = rows[i + 1] as StoredEntryRow;
        rows[i] = { ...b, seq: a.seq };
        rows[i + 1] = { ...a, seq: b.seq };
        const f = failure(run(log, rows, pageSize));
        assert.equal(f.firstBadSeq, i + 1);
        if (pageSize > 1 && i % pageSize !== pageSize - 1) assert.equal(f.problem, 'reordered');
      }),
      { numRuns: 150 },
    );
  });

  it('finds a forged entry inserted (and the rest renumbered) at its position', () => {
    fc.assert(
      fc.property(logArb, fc.nat(), entryArb, ({ entries, every, pageSize }, pick, forged) => {
        const log = memoryLog(entries, every);
        const i = pick % entries.length;
        // The attacker chains the forgery correctly onto entry i (seq i), and renumbers the rest.
        const fake = memoryLog([...entries.slice(0, i), forged]).rows[i] as StoredEntryRow;
        const rows = [...log.rows.slice(0, i), fake, ...log.rows.slice(i).map((r) => ({ ...r, seq: r.seq + 1 }))];
        const f = failure(run(log, rows, pageSize));
        assert.equal(f.firstBadSeq, i + 1);
        // A checkpoint over the original entry i+1 sees a changed chain first: it cannot tell insertion from rewrite.
        assert.ok(['inserted', 'altered'].includes(f.problem), f.problem);
      }),
      { numRuns: 100 },
    );
  });

  it('finds a cut-off tail and a forged checkpoint', () => {
    const log = memoryLog(
      Array.from({ length: 30 }, (_, i) => ({ ...entryBase, reason: `r${i}` })),
      10,
    );
    assert.deepEqual(failure(run(log, log.rows.slice(0, 25))), { firstBadSeq: 26, problem: 'truncated' });
    const cps = log.checkpoints.map((c) => (c.seq === 20 ? { ...c, signature: Buffer.alloc(64, 1) } : c));
    assert.deepEqual(failure(run(log, log.rows, 7, cps)), { firstBadSeq: 20, problem: 'bad-signature' });
    const missing = log.checkpoints.filter((c) => c.seq !== 20);
    const r = new ChainVerifier(log.keys, { maxCheckpointGap: 10 });
    assert.equal(r.page(log.rows, missing), false);
    assert.deepEqual(r.failure && { s: r.failure.firstBadSeq, p: r.failure.problem }, {
      s: 21,
      p: 'checkpoint-missing',
    });
    const pinned = new ChainVerifier(log.keys, { trustedKeys: ['00'.repeat(32)] });
    assert.equal(pinned.page(log.rows, log.checkpoints), false);
    assert.equal(pinned.failure?.problem, 'untrusted-key');
  });
});

describe('ChainVerifier fast column check', () => {
  it('matches columns in place, and catches a column equal to the raw text of an escaped value', () => {
    // The entry holds actor id a\ as "a\\": the column a\\ is that text raw, a different id.
    const log = memoryLog([
      { ...entryBase, actor: { ...entryBase.actor, id: 'a\\' }, patientIds: ['p\\1', 'p2'] },
      entryBase,
    ]);
    assert.equal(run(log).ok, true);
    const rows = [...log.rows];
    rows[0] = { ...(rows[0] as StoredEntryRow), actorId: 'a\\\\' };
    assert.deepEqual(failure(run(log, rows)), { firstBadSeq: 1, problem: 'altered' });
    rows[0] = { ...(log.rows[0] as StoredEntryRow), patientIds: ['p\\1'] };
    assert.deepEqual(failure(run(log, rows)), { firstBadSeq: 1, problem: 'altered' });
    // Same length, one character changed, in each column the fast path compares in place.
    for (const change of [
      { actorId: 'b\\' },
      { action: 'C' },
      { event: 'phi.reaf' },
      { outcome: 'succesz' },
      { patientIds: ['p\\2', 'p2'] },
    ]) {
      rows[0] = { ...(log.rows[0] as StoredEntryRow), ...change };
      assert.deepEqual(failure(run(log, rows)), { firstBadSeq: 1, problem: 'altered' }, JSON.stringify(change));
    }
  });

  it('reads array rows, and fails a row whose query columns cannot be read', () => {
    const log = memoryLog([entryBase, entryBase, entryBase]);
    const tuples = log.rows.map(entryTuple);
    assert.equal(new ChainVerifier(log.keys).pageOfTuples(tuples, log.checkpoints), true);
    const broken = [...tuples];
    const t = tuples[1] as StoredEntryTuple;
    broken[1] = [t[0], t[1], t[2], t[3].slice(0, -1)];
    const v = new ChainVerifier(log.keys);
    assert.equal(v.pageOfTuples(broken, log.checkpoints), false);
    assert.deepEqual(v.failure && { s: v.failure.firstBadSeq, p: v.failure.problem }, { s: 2, p: 'altered' });
    assert.match(v.failure?.message ?? '', /query columns cannot be read/);
  });
});

const entryBase: AuditEntryInput = {
  actor: { kind: 'user', id: 'u1', name: 'n', authMethod: 'password' },
  event: 'phi.read',
  action: 'R',
  outcome: 'success',
};
