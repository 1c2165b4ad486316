import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { storeTargets, tamper, type TestDatabase } from '@steward/store/testing';
import { AuditLog } from './audit-log.js';
import { verifyAuditLog } from './verify.js';
import { FileAuditWitness, readWitnessText } from './file-witness.js';
import { readWitnesses } from './witness.js';
import { KeyRing } from '../crypto/key-ring.js';
import { sampleEntry } from './test-fixtures.js';

const cipher = KeyRing.inMemory();

describe('the witness file', () => {
  let dir: string;
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'steward-witness-'));
  });
  after(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  const record = (seq: number) => ({
    seq,
    hash: seq.toString(16).padStart(64, '0'),
    at: new Date(Date.UTC(2026, 0, 1, 0, 0, seq)).toISOString(),
    keyId: 'k1',
    signature: 'ab'.repeat(64),
  });

  it('keeps the highest checkpoint of several writers appending at once, one line each', async () => {
    const path = join(dir, 'two-writers.log');
    const a = new FileAuditWitness(path);
    const b = new FileAuditWitness(path);
    await Promise.all([1, 3, 5, 7].map(async (s) => a.record([record(s)])));
    await Promise.all([2, 4, 6].map(async (s) => b.record([record(s)])));
    await a.record([record(9)]);
    await Promise.all([a.close(), b.close()]);
    const text = await readFile(path, 'utf8');
    assert.equal(text.split('\n').length - 1, 8);
    const r = readWitnessText(text);
    assert.equal(r.problem, undefined);
    assert.equal(r.latest?.seq, 9);
  });

  it('reports an edited line, a removed line and a foreign line as tampering', async () => {
    const path = join(dir, 'edited.log');
    const w = new FileAuditWitness(path);
    for (const s of [10, 20, 30, 40]) await w.record([record(s)]);
    await w.close();
    const lines = (await readFile(path, 'utf8')).split('\n').slice(0, -1);
    const joined = (ls: string[]): string => `${ls.join('\n')}\n`;
    // Lowering a seq breaks the line's link to the next one.
    const edited = joined(lines.map((l, i) => (i === 1 ? l.replace('"seq":20', '"seq":2') : l)));
    assert.match(readWitnessText(edited).problem ?? '', /line 3 does not follow/);
    const removed = joined(lines.filter((_, i) => i !== 1));
    assert.match(readWitnessText(removed).problem ?? '', /line 2 does not follow/);
    assert.match(readWitnessText(joined([...lines, 'hello'])).problem ?? '', /line 5 is not a witness record/);
    // A line cut short by a crash (no newline yet) is not an edit, and the next writer starts afresh.
    await writeFile(path, `${joined(lines)}{"v":1,"wri`);
    assert.equal(readWitnessText(await readFile(path, 'utf8')).latest?.seq, 40);
    const next = new FileAuditWitness(path);
    await next.record([record(50)]);
    await next.close();
    const after = readWitnessText(await readFile(path, 'utf8'));
    assert.match(after.problem ?? '', /line 5 is not a witness record/);
  });
});

for (const target of storeTargets()) {
  describe(`the audit log's witness on ${target.name}`, { skip: target.skip }, () => {
    let db: TestDatabase;
    let dir: string;
    before(async () => {
      db = await target.open();
      dir = await mkdtemp(join(tmpdir(), 'steward-witness-'));
    });
    after(async () => {
      await db?.close();
      await rm(dir, { recursive: true, force: true });
    });

    async function writeLog(path: string, n: number): Promise<FileAuditWitness> {
      await tamper(db, 'delete from audit_checkpoints');
      await tamper(db, 'delete from audit_log');
      const witness = new FileAuditWitness(path);
      const log = await AuditLog.open(db, cipher, { checkpointEvery: 5, witnesses: [witness] });
      for (let i = 0; i < n; i += 5) {
        await Promise.all(Array.from({ length: 5 }, (_, j) => log.append(sampleEntry(i + j))));
      }
      await log.close();
      return witness;
    }

    it('records each committed checkpoint outside the database; verify passes against it', async () => {
      const witness = await writeLog(join(dir, 'intact.log'), 20);
      const reading = await witness.read();
      assert.equal(reading.problem, undefined);
      assert.equal(reading.latest?.seq, 20);
      const r = await verifyAuditLog(db, { witnesses: [witness] });
      assert.equal(r.ok, true, JSON.stringify(r));
    });

    it('reports a deleted tail (entries and checkpoints) as truncation naming the range', async () => {
      const witness = await writeLog(join(dir, 'tail.log'), 30);
      await tamper(db, 'delete from audit_checkpoints where seq > 10');
      await tamper(db, 'delete from audit_log where seq > 10');
      // The database alone cannot tell: its last checkpoint and entry agree.
      assert.equal((await verifyAuditLog(db)).ok, true);
      const r = await verifyAuditLog(db, { witnesses: [witness] });
      assert.equal(r.ok, false);
      assert.equal(!r.ok && r.problem, 'truncated');
      assert.equal(!r.ok && r.firstBadSeq, 11);
      assert.match(!r.ok ? r.message : '', /entries 11 to 30 \(at least\) were removed/);
    });

    it('reports a tail rewritten after the deletion (new entries over the witnessed head)', async () => {
      const witness = await writeLog(join(dir, 'rewritten.log'), 20);
      await tamper(db, 'delete from audit_checkpoints where seq > 10');
      await tamper(db, 'delete from audit_log where seq > 10');
      // The attacker appends other entries through the writer (which signs them): the head is
      // back at 20 but entry 20 is not the one the witness holds.
      const log = await AuditLog.open(db, cipher, { checkpointEvery: 5 });
      for (let i = 0; i < 10; i++) await log.append(sampleEntry(100 + i));
      await log.close();
      const r = await verifyAuditLog(db, { witnesses: [witness] });
      assert.equal(!r.ok && r.problem, 'altered', JSON.stringify(r));
      assert.equal(!r.ok && r.firstBadSeq, 20);
    });

    it('refuses a witnessed checkpoint no stored key signed', async () => {
      await writeLog(join(dir, 'forged-src.log'), 10);
      const forged = new FileAuditWitness(join(dir, 'forged.log'));
      const head = (
        await db.query<{ hash: string }>(`select encode(hash, 'hex') as hash from audit_log where seq = 10`)
      ).rows[0];
      const keyId = (await db.query<{ id: string }>('select id from audit_signing_keys')).rows[0]?.id ?? '';
      await forged.record([
        { seq: 10, hash: head?.hash ?? '', at: new Date().toISOString(), keyId, signature: '00'.repeat(64) },
      ]);
      await forged.close();
      const r = await verifyAuditLog(db, { witnesses: [forged] });
      assert.equal(!r.ok && r.problem, 'witness-broken');
      assert.match(!r.ok ? r.message : '', /invalid signature/);
    });
  });
}

describe('an unreadable witness', () => {
  it('fails verification instead of passing without it', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'steward-witness-'));
    try {
      // A directory where the file should be: reading it fails (EISDIR).
      const r = await readWitnesses([new FileAuditWitness(dir)]);
      assert.match(r.problem ?? '', /cannot be read \(EISDIR\)/);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
