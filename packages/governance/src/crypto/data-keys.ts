/**
 * @module The `data_keys` table: data keys, each stored wrapped by a master key. Rows are never
 * deleted: audit rows are immutable, so a retired key must open what it sealed forever.
 */
import { randomBytes } from 'node:crypto';
import { newSecret } from '@steward/core';
import type { Sql } from '@steward/store';
import type { MasterKeyProvider } from './master-key.js';

export type DataKeyPurpose = 'field' | 'index';
export type DataKeyStatus = 'active' | 'retired';

export interface DataKeyRow {
  readonly id: string;
  readonly purpose: DataKeyPurpose;
  readonly masterKeyId: string;
  readonly wrapped: Buffer;
  readonly status: DataKeyStatus;
}

export const DATA_KEY_BYTES = 32;

/**
 * What a wrapped data key is bound to. The purpose is bound as well as the id, so a wrapped index
 * key copied into a 'field' row (or the reverse) fails to unwrap instead of being misused.
 */
export function wrapContext(id: string, purpose: DataKeyPurpose): string {
  return `data_keys:${purpose}:${id}`;
}

/** 16 URL-safe characters (96 random bits): short, because every sealed value carries it. */
export function newDataKeyId(): string {
  return newSecret(12);
}

export async function loadDataKeys(sql: Sql): Promise<DataKeyRow[]> {
  const { rows } = await sql.query<{
    id: string;
    purpose: DataKeyPurpose;
    master_key_id: string;
    wrapped: Uint8Array;
    status: DataKeyStatus;
  }>('select id, purpose, master_key_id, wrapped, status from data_keys order by created_at, id');
  return rows.map((r) => ({
    id: r.id,
    purpose: r.purpose,
    masterKeyId: r.master_key_id,
    wrapped: Buffer.from(r.wrapped),
    status: r.status,
  }));
}

/** A fresh data key, wrapped under the provider's active master key. */
export async function newWrappedDataKey(
  provider: MasterKeyProvider,
  purpose: DataKeyPurpose,
): Promise<{ id: string; masterKeyId: string; wrapped: Buffer }> {
  const id = newDataKeyId();
  const dek = randomBytes(DATA_KEY_BYTES);
  try {
    const { masterKeyId, wrapped } = await provider.wrap(dek, wrapContext(id, purpose));
    return { id, masterKeyId, wrapped };
  } finally {
    dek.fill(0); // the ring unwraps it again from the row, as it would after a restart
  }
}

/**
 * Creates the active key for `purpose` unless one exists. Race-safe: the unique partial index
 * admits one active key per purpose, and the loser's insert does nothing. Returns whether it won.
 */
export async function ensureActiveDataKey(
  sql: Sql,
  provider: MasterKeyProvider,
  purpose: DataKeyPurpose,
): Promise<boolean> {
  const key = await newWrappedDataKey(provider, purpose);
  const { rowCount } = await sql.query(
    `insert into data_keys (id, purpose, master_key_id, wrapped, status) values ($1, $2, $3, $4, 'active')
     on conflict (purpose) where status = 'active' do nothing`,
    [key.id, purpose, key.masterKeyId, key.wrapped],
  );
  return rowCount === 1;
}

/** The master key versions data keys are wrapped under now: the ones that must not be discarded. */
export async function masterKeysInUse(sql: Sql): Promise<string[]> {
  const { rows } = await sql.query<{ master_key_id: string }>(
    'select distinct master_key_id from data_keys order by master_key_id',
  );
  return rows.map((r) => r.master_key_id);
}
