/**
 * The EHR as the applier sees it: read the current version (and an older one, for a conflict's
 * diff), and write. The real one is the governed EHR's writing side (`GovernedEhr.writer` in
 * @steward/ehr), which only the applier holds: it writes as the connection's own interface
 * account (which holds `ehr.write`), not as the reviewer or workflow that asked, whose request id
 * and workflow still travel with the write's audit; policy, per-patient audit, the wrong-chart
 * guard and idempotency are the decorator's, for every channel. `InMemoryEhr` is the fast one.
 */
export type { EhrWriteChannel as EhrPort, EhrResource } from '@steward/ehr';
