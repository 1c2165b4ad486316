/**
 * @module Test-only child process for import-crash.int.test.ts: runs a contact import on the
 * embedded store in the directory named by argv, printing `landed N` as batches commit, until the
 * parent kills it with SIGKILL.
 */
import { PgliteDatabase } from '@steward/store';
import { InMemoryMasterKeyProvider, masterKeyIdOf } from '@steward/governance';
import { openTestRelationships } from '../testing/index.js';
import { readContactSource } from './source-reader.js';

const [dir, keyHex, contactsFile, mappingFile] = process.argv.slice(2);
if (dir === undefined || keyHex === undefined || contactsFile === undefined || mappingFile === undefined)
  throw new Error('usage: import-crash-child <dir> <master key hex> <contacts> <mapping>');
const key = Buffer.from(keyHex, 'hex');
const db = await PgliteDatabase.open(dir);
const k = await openTestRelationships(Object.assign(db, { url: undefined }), {
  masterKeys: new InMemoryMasterKeyProvider([{ id: masterKeyIdOf(key), key, createdAt: new Date(0) }]),
});
await k.rel.migration.run(k.coordinator, await readContactSource(contactsFile, mappingFile), {
  site: 'main',
  batchSize: 20,
  onProgress: (p) => {
    if (p.phase === 'contacts') process.stdout.write(`landed ${p.done}\n`);
  },
});
process.stdout.write('finished\n');
