/**
 * The audit writer's first round trip: take the audit advisory lock and read the chain head and
 * the last checkpoint, in ONE statement. The function is VOLATILE and PL/pgSQL, so (under READ
 * COMMITTED) the read after the lock runs with a fresh snapshot and sees every audit batch that
 * committed before the lock was granted; a plain `select pg_advisory_xact_lock(..), (head)` would
 * read with the snapshot taken before it waited for the lock.
 */
export const sql = `
create function audit_lock_head(lock_key bigint)
returns table (head_seq bigint, head_hash bytea, ckpt_seq bigint, ckpt_at_ms bigint)
language plpgsql volatile
as $fn$
begin
  perform pg_advisory_xact_lock(lock_key);
  return query
    select h.seq, h.hash, c.seq, (extract(epoch from c.at) * 1000)::int8
      from (select 1) as one
      left join lateral (select l.seq, l.hash from audit_log as l order by l.seq desc limit 1) as h on true
      left join lateral (select k.seq, k.at from audit_checkpoints as k order by k.seq desc limit 1) as c on true;
end
$fn$;
`;
