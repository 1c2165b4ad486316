/**
 * @module What the EHR holds now, beside a proposal under review: the target resource's current
 * version (for an update, what the write would replace), the patient (so the reviewer can check
 * the chart is the right one) and the evidence resources. Read live through the connection's
 * client, as the connection's account; allowed for whoever may review the proposal at its site
 * (`review.read`, not-found otherwise, so scope is not probed), and audited as a read of the
 * patient's data by the reviewer. A resource the EHR no longer has is reported as missing, not
 * as an error: a deleted target is exactly what a reviewer must see.
 *
 * Minimum necessary: a Patient (the proposal's, or one among the evidence) is sent only as what
 * checking the chart needs — its name, birth date, sex and its record-number identifiers (MRN
 * type, or a system the proposal matched the patient on) — never its SSN, licence, address,
 * telecom, contacts or anything else the EHR keeps.
 */
import type { RequestContext } from '@steward/core';
import { clockOf, patientIdsOf, type ProposalDeps, type SealedBody } from '../review/index.js';
import { ProposalStore } from '../store/index.js';
import type { EhrPort } from './ehr-port.js';

export interface EhrStateEntry {
  /** `Appointment/123` */
  readonly reference: string;
  readonly resource: Readonly<Record<string, unknown>> | undefined;
  readonly versionId: string | undefined;
  /** Why there is no resource: the EHR answered not found, or the read failed (its stable code). */
  readonly missing?: string;
}

export interface EhrState {
  readonly proposalId: string;
  /** Undefined for a create (nothing exists yet) or a channel action (no EHR target). */
  readonly target: EhrStateEntry | undefined;
  readonly patient: EhrStateEntry | undefined;
  readonly evidence: readonly EhrStateEntry[];
  readonly readAt: Date;
}

/** At most this many evidence resources are read for one view: the rest are listed by reference. */
const MAX_EVIDENCE_READS = 6;

export class EhrStateReader {
  private readonly store: ProposalStore;

  constructor(
    private readonly deps: ProposalDeps,
    private readonly ehr: Pick<EhrPort, 'read'>,
  ) {
    this.store = new ProposalStore(deps.db, deps.cipher);
  }

  async read(ctx: RequestContext, id: string): Promise<EhrState> {
    const { row, decision } = await this.deps.policy.visible(
      ctx,
      'review.read',
      'proposal',
      await this.store.row(id),
      (r) => ({ site: r.site, entity: { kind: 'Proposal', id } }),
    );
    const body = this.store.open<SealedBody>('body', row.id, row.body_enc);
    const connectionId = row.connection_id;
    const matchedSystems = new Set(body.patient.identifiers.map((i) => i.system));
    const readOne = async (reference: string): Promise<EhrStateEntry> => {
      const [type, rid] = reference.split('/');
      if (connectionId === null || type === undefined || rid === undefined || rid === '')
        return { reference, resource: undefined, versionId: undefined, missing: 'NOT_AN_EHR_REFERENCE' };
      try {
        const r = await this.ehr.read(connectionId, type, rid);
        const resource = r.resource['resourceType'] === 'Patient' ? chartCheck(r.resource, matchedSystems) : r.resource;
        return { reference, resource, versionId: r.versionId };
      } catch (e) {
        const code = (e as { code?: unknown }).code;
        return {
          reference,
          resource: undefined,
          versionId: undefined,
          missing: typeof code === 'string' ? code : 'EHR_UNAVAILABLE',
        };
      }
    };
    const targetRef = row.target_id !== null ? `${row.target_type}/${row.target_id}` : undefined;
    const patientRef = `Patient/${body.patient.ehrId}`;
    // The target and the patient are read once, in their own places, even when evidence names them.
    const evidenceRefs = [...new Set(body.evidence.resources)].filter((r) => r !== targetRef && r !== patientRef);
    const [target, patient, ...evidence] = await Promise.all([
      targetRef !== undefined && connectionId !== null ? readOne(targetRef) : Promise.resolve(undefined),
      connectionId !== null ? readOne(patientRef) : Promise.resolve(undefined),
      ...evidenceRefs.slice(0, MAX_EVIDENCE_READS).map(readOne),
    ]);
    const notRead = evidenceRefs
      .slice(MAX_EVIDENCE_READS)
      .map((reference) => ({ reference, resource: undefined, versionId: undefined, missing: 'NOT_READ_LIMIT' }));
    await this.deps.audit.append({
      actor: ctx.actor,
      event: 'phi.read',
      action: 'R',
      outcome: 'success',
      patientIds: await patientIdsOf(this.deps, row, body.patient),
      entity: { kind: 'Proposal', id: row.id, version: row.revision },
      fields: ['ehr-state'],
      site: row.site,
      purposeOfUse: decision.purposeOfUse,
      ...(decision.breakGlassId !== undefined ? { breakGlassId: decision.breakGlassId } : {}),
    });
    return {
      proposalId: row.id,
      target: target ?? undefined,
      patient: patient ?? undefined,
      evidence: [...evidence, ...notRead],
      readAt: clockOf(this.deps).now(),
    };
  }
}

type Json = Readonly<Record<string, unknown>>;

/** Identifier types that are never a chart number (HL7 v2-0203): SSN, licences, passport, tax, member ids. */
const notChartNumbers = new Set(['SS', 'DL', 'PPN', 'TAX', 'SB', 'MB', 'MA', 'MC', 'DR', 'NIIP', 'SN', 'CZ']);
const ssnSystem = /ssn|social/i;
/** Identifier systems that are never a chart number: SSN (also by its OID), passports, driver's licences (OID 4.3.x). */
const notChartNumberSystem = /ssn|social|passport|licen[cs]e|driver|2\.16\.840\.1\.113883\.4\.(1|3\.\d+)$/i;

/**
 * A proposal's patient as a reviewer's screen may see it (minimum necessary): the EHR id and the
 * record numbers, without SSN, passport or licence numbers. The sealed proposal keeps all of them:
 * the EHR writer's wrong-chart guard still matches on them.
 */
export function reviewablePatient<T extends { readonly identifiers: readonly { readonly system: string }[] }>(
  patient: T,
): T {
  return { ...patient, identifiers: patient.identifiers.filter((i) => !notChartNumberSystem.test(i.system)) };
}

/** The fields of a Patient that checking the chart needs, and nothing more. */
export function chartCheck(patient: Json, matchedSystems: ReadonlySet<string>): Json {
  const obj = (v: unknown): Json => (v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Json) : {});
  const arr = (v: unknown): readonly unknown[] => (Array.isArray(v) ? v : []);
  const names = arr(patient['name']).map(obj);
  const name = names.find((n) => n['use'] === 'official') ?? names.find((n) => n['use'] !== 'old') ?? names[0];
  const identifier = arr(patient['identifier'])
    .map(obj)
    .filter((i) => {
      const system = typeof i['system'] === 'string' ? i['system'] : '';
      const codes = arr(obj(i['type'])['coding']).map((c) => obj(c)['code']);
      if (ssnSystem.test(system) || codes.some((c) => typeof c === 'string' && notChartNumbers.has(c))) return false;
      return codes.includes('MR') || matchedSystems.has(system);
    })
    .map((i) => ({
      ...(i['system'] !== undefined ? { system: i['system'] } : {}),
      ...(i['value'] !== undefined ? { value: i['value'] } : {}),
      ...(i['type'] !== undefined ? { type: i['type'] } : {}),
    }));
  return {
    resourceType: 'Patient',
    ...(patient['id'] !== undefined ? { id: patient['id'] } : {}),
    ...(name !== undefined
      ? {
          name: [
            {
              ...(name['family'] !== undefined ? { family: name['family'] } : {}),
              ...(name['given'] !== undefined ? { given: name['given'] } : {}),
            },
          ],
        }
      : {}),
    ...(patient['birthDate'] !== undefined ? { birthDate: patient['birthDate'] } : {}),
    ...(patient['gender'] !== undefined ? { gender: patient['gender'] } : {}),
    identifier,
  };
}
