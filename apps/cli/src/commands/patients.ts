/**
 * @module `steward patients reviews|link|dismiss`: the patient index's review list from a
 * terminal, through the server's API (decided and audited there): look-alikes (same name and birth
 * date, no shared identifier) that a person links as one patient or dismisses.
 */
import { connect, query, type GlobalOptions } from '../client/http.js';
import { printJson, printTable } from '../output.js';

interface Shown {
  readonly id: string;
  readonly site: string;
  readonly name?: { readonly family: string; readonly given: readonly string[] };
  readonly birthDate?: string;
}
interface Review {
  readonly id: string;
  readonly site: string;
  readonly reason: string;
  readonly status: string;
  readonly createdAt: string;
  readonly patient: Shown;
  readonly candidate: Shown;
}

const named = (p: Shown): string =>
  p.name === undefined ? p.id : `${p.name.family}, ${p.name.given.join(' ')} ${p.birthDate ?? ''}`.trim();

export async function patientReviews(g: GlobalOptions, o: { limit?: string; json?: boolean }): Promise<void> {
  const page = await connect(g).request<{ items: Review[] }>('GET', `/patient-reviews${query({ limit: o.limit })}`);
  if (o.json === true) return printJson(g.io.stdout, page);
  printTable(
    g.io.stdout,
    page.items.map((r) => ({
      id: r.id,
      site: r.site,
      reason: r.reason,
      since: r.createdAt,
      patient: `${r.patient.id} (${r.patient.site})`,
      candidate: `${r.candidate.id} (${r.candidate.site})`,
      name: named(r.patient),
    })),
    ['id', 'site', 'reason', 'since', 'patient', 'candidate', 'name'],
  );
}

export async function patientReviewDecide(
  g: GlobalOptions,
  decision: 'link' | 'dismiss',
  id: string,
  o: { json?: boolean },
): Promise<void> {
  const review = await connect(g).request<Review>('POST', `/patient-reviews/${encodeURIComponent(id)}/${decision}`);
  if (o.json === true) return printJson(g.io.stdout, review);
  g.io.stdout.write(
    decision === 'link'
      ? `linked: ${review.patient.id} is now ${review.candidate.id}\n`
      : `dismissed: ${review.patient.id} and ${review.candidate.id} stay two patients\n`,
  );
}
