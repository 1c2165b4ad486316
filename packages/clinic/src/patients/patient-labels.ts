/**
 * @module `PatientLabels`: a patient as a list item shows it (Steward id, display name, birth date,
 * masked MRN), only the fields the minimum-necessary rule (display-rule.ts) lets this reader see.
 * Showing demographics is a PHI read: each call that shows any is audited once (`phi.read`), naming
 * the patients and the fields shown. A reader the rule gives no field gets the Steward id alone,
 * and nothing is decrypted or audited for them. The one exception to the rule, the patients of
 * a break-glass episode shown to its compliance reviewer (ADR 0021), is `forBreakGlassReview`.
 */
import type { PatientIdentifier, RequestContext } from '@steward/core';
import type { FieldCipher, PolicyDecisionPoint, SightingDemographics, AuditSink } from '@steward/governance';
import { sourceOf } from '@steward/governance';
import type { Sql } from '@steward/store';
import { breakGlassReviewFields, displayFieldsFor, maskMrn, type PatientDisplayField } from './display-rule.js';

export interface PatientLabelsDeps {
  readonly db: Sql;
  readonly cipher: FieldCipher;
  readonly policy: Pick<PolicyDecisionPoint, 'decide'>;
  readonly audit: AuditSink;
}

/** The patient on a list item: the Steward id always, the rest only where the rule allows. */
export interface PatientLabel {
  readonly id: string;
  /** `Family, Given`. */
  readonly name?: string;
  /** YYYY-MM-DD */
  readonly birthDate?: string;
  /** The MRN's last four characters (`••••2345`), when the item carries one. */
  readonly mrn?: string;
}

/** A patient an item names: its Steward id, the item's site, and the item's own identifiers if any (for the MRN). */
export interface LabelRequest {
  readonly patientId: string;
  readonly site: string;
  readonly identifiers?: readonly PatientIdentifier[];
}

export class PatientLabels {
  readonly #deps: PatientLabelsDeps;

  constructor(deps: PatientLabelsDeps) {
    this.#deps = deps;
  }

  /** A label per request (in order); one audit entry for every patient whose demographics were shown. */
  async label(ctx: RequestContext, requests: readonly LabelRequest[]): Promise<readonly PatientLabel[]> {
    const fieldsBySite = new Map<string, readonly PatientDisplayField[]>();
    const purposes = new Map<string, Awaited<ReturnType<PolicyDecisionPoint['decide']>>>();
    for (const site of new Set(requests.map((r) => r.site))) {
      const d = await this.#deps.policy.decide(ctx, 'phi.read', { site });
      purposes.set(site, d);
      const viewer = !d.allowed ? undefined : d.grant !== undefined ? d.grant.role : 'break-glass';
      fieldsBySite.set(site, d.allowed && viewer !== undefined ? displayFieldsFor(viewer, d.purposeOfUse) : []);
    }
    const shown = requests.filter((r) => (fieldsBySite.get(r.site) ?? []).length > 0);
    const demographics = await this.#demographics(shown.map((r) => r.patientId));
    const read = new Set<string>();
    const fieldsShown = new Set<PatientDisplayField>();
    const labels = requests.map((r): PatientLabel => {
      const fields = fieldsBySite.get(r.site) ?? [];
      const d = demographics.get(r.patientId);
      const mrn = mrnOf(r.identifiers);
      const label: PatientLabel = {
        id: d?.liveId ?? r.patientId,
        ...(fields.includes('name') && d?.name !== undefined ? { name: d.name } : {}),
        ...(fields.includes('birthDate') && d?.birthDate !== undefined ? { birthDate: d.birthDate } : {}),
        ...(fields.includes('mrn') && mrn !== undefined ? { mrn: maskMrn(mrn) } : {}),
      };
      for (const f of ['name', 'birthDate', 'mrn'] as const)
        if (label[f] !== undefined) {
          fieldsShown.add(f);
          read.add(label.id);
        }
      return label;
    });
    if (read.size > 0) {
      const site = shown[0]?.site;
      const decision = site !== undefined ? purposes.get(site) : undefined;
      await this.#deps.audit.append({
        actor: ctx.actor,
        event: 'phi.read',
        action: 'R',
        outcome: 'success',
        patientIds: [...read],
        entity: { kind: 'Patient', id: '*' },
        fields: [...fieldsShown],
        ...(site !== undefined ? { site } : {}),
        ...(decision?.allowed === true ? { purposeOfUse: decision.purposeOfUse } : {}),
        ...(decision?.allowed === true && decision.breakGlassId !== undefined
          ? { breakGlassId: decision.breakGlassId }
          : {}),
        source: sourceOf(ctx),
        reason: 'display',
      });
    }
    return labels;
  }

  /**
   * The patients of the accesses made under a break-glass episode, for its compliance review
   * (ADR 0021): name and birth date (`breakGlassReviewFields`), whatever the reviewer's role would
   * show elsewhere. Needs `break_glass.review` (without it: Steward ids alone, nothing decrypted);
   * what is shown is audited once as a PHI read under the reviewer's purpose, naming the patients,
   * the fields, the episode's site and the episode (`break-glass-review:<id>`). The read itself
   * carries no break-glass id, so it is never counted among the episode's own accesses.
   */
  async forBreakGlassReview(
    ctx: RequestContext,
    episode: { readonly id: string; readonly site: string },
    patientIds: readonly string[],
  ): Promise<readonly PatientLabel[]> {
    const d = await this.#deps.policy.decide(ctx, 'break_glass.review', {});
    if (!d.allowed) return patientIds.map((id) => ({ id }));
    const demographics = await this.#demographics(patientIds);
    const read = new Set<string>();
    const fieldsShown = new Set<PatientDisplayField>();
    const labels = patientIds.map((asked): PatientLabel => {
      const p = demographics.get(asked);
      const label: PatientLabel = {
        id: p?.liveId ?? asked,
        ...(breakGlassReviewFields.includes('name') && p?.name !== undefined ? { name: p.name } : {}),
        ...(breakGlassReviewFields.includes('birthDate') && p?.birthDate !== undefined
          ? { birthDate: p.birthDate }
          : {}),
      };
      for (const f of ['name', 'birthDate'] as const)
        if (label[f] !== undefined) {
          fieldsShown.add(f);
          read.add(label.id);
        }
      return label;
    });
    if (read.size > 0)
      await this.#deps.audit.append({
        actor: ctx.actor,
        event: 'phi.read',
        action: 'R',
        outcome: 'success',
        patientIds: [...read],
        entity: { kind: 'Patient', id: '*' },
        fields: [...fieldsShown],
        site: episode.site,
        purposeOfUse: d.purposeOfUse,
        source: sourceOf(ctx),
        reason: `break-glass-review:${episode.id}`,
      });
    return labels;
  }

  /** The surviving patient's name and birth date per asked id (merges followed). */
  async #demographics(
    ids: readonly string[],
  ): Promise<Map<string, { liveId: string; name?: string; birthDate?: string }>> {
    const out = new Map<string, { liveId: string; name?: string; birthDate?: string }>();
    if (ids.length === 0) return out;
    const { rows } = await this.#deps.db.query<{ asked: string; id: string; demographics_enc: Uint8Array | null }>(
      `select a.id::text as asked, p.id::text as id, p.demographics_enc
         from clinic_patients a join clinic_patients p on p.id = coalesce(a.merged_into, a.id)
        where a.id = any($1::uuid[])`,
      [[...new Set(ids)]],
    );
    for (const r of rows) {
      const d =
        r.demographics_enc === null
          ? {}
          : (JSON.parse(
              this.#deps.cipher.decrypt(r.demographics_enc, `clinic_patients:${r.id}`).toString('utf8'),
            ) as Partial<SightingDemographics>);
      const name =
        d.name !== undefined ? [d.name.family, d.name.given.join(' ')].filter((s) => s !== '').join(', ') : '';
      out.set(r.asked, {
        liveId: r.id,
        ...(name !== '' ? { name } : {}),
        ...(d.birthDate !== undefined ? { birthDate: d.birthDate } : {}),
      });
    }
    return out;
  }
}

/** The item's MRN: an identifier whose system names an MRN, else the first one. */
function mrnOf(identifiers: readonly PatientIdentifier[] | undefined): string | undefined {
  if (identifiers === undefined || identifiers.length === 0) return undefined;
  return (identifiers.find((i) => /mrn|\bmr\b/i.test(i.system)) ?? identifiers[0])?.value;
}
