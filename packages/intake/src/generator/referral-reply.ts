/**
 * @module A consult note for a given patient and referral, as the practice the patient was referred
 * to would fax it back: the two-page SOAP consult note (`consult-note/soap`, pages numbered, signed on
 * the second page), optionally without its second page, the signature page (what a fax that stopped
 * early looks like). Deterministic for its input (same input, same bytes), so a demo that drops it
 * twice finds the first by its content. Synthetic: the caller gives the people's names.
 */
import { renderPdf } from './render.js';
import { npi, type Clinician, type Day, type Patient } from './people.js';
import { Rng } from './random.js';
import { templates, type TemplateContext } from './templates.js';

export interface ConsultNoteFaxInput {
  /** Seeds the wording (which heading, which condition, the vitals). */
  readonly seed: number;
  readonly patient: {
    readonly given: string;
    readonly family: string;
    /** `YYYY-MM-DD`. */
    readonly birthDate: string;
    readonly mrn: string;
  };
  /** Who writes it: the clinician and practice the referral went to. */
  readonly from: {
    readonly given: string;
    readonly family: string;
    readonly clinic: string;
    readonly specialty: string;
  };
  /** The referring provider it answers. */
  readonly to: { readonly given: string; readonly family: string; readonly clinic?: string };
  /** The visit's date, `YYYY-MM-DD`. */
  readonly date: string;
  /** Leave out the second page (the one that carries the signature). */
  readonly withoutSignaturePage?: boolean;
}

const day = (iso: string): Day => {
  const [year, month, d] = iso.split('-').map(Number);
  return { year: year ?? 2026, month: month ?? 1, day: d ?? 1 };
};

/** The consult note as a PDF (with a text layer, as a fax server's PDF has). */
export async function consultNoteFax(input: ConsultNoteFaxInput): Promise<Uint8Array> {
  const template = templates.find((t) => t.name === 'consult-note/soap');
  if (template === undefined) throw new Error('the consult note template is missing');
  const rng = new Rng(input.seed);
  const patient: Patient = {
    given: input.patient.given,
    family: input.patient.family,
    birthDate: day(input.patient.birthDate),
    mrn: input.patient.mrn,
    memberId: '',
    payer: '',
    phone: '',
  };
  const clinician = (p: { given: string; family: string; clinic?: string }, specialty: string): Clinician => ({
    given: p.given,
    family: p.family,
    npi: npi(rng),
    clinic: p.clinic ?? '',
    specialty,
    fax: '',
    phone: '',
  });
  const c: TemplateContext = {
    rng,
    patient,
    from: clinician(input.from, input.from.specialty),
    to: clinician(input.to, ''),
    date: day(input.date),
    dateStyle: 0,
    omit: input.withoutSignaturePage === true ? 'page' : undefined,
    esign: true,
  };
  const [first, ...rest] = template.build(c);
  // A consult note answers a referral by saying so on its first page (what a practice's letterhead
  // note does), which also keeps a first page alone recognisable as a consult note.
  const built = [
    [
      ...(first ?? []),
      {
        k: 'para' as const,
        text: `Thank you for this referral. I had the pleasure of seeing your patient today in our ${input.from.specialty.toLowerCase()} clinic. My impression and recommendations follow.`,
      },
    ],
    ...rest,
  ];
  const kept = input.withoutSignaturePage === true ? built.slice(0, -1) : built;
  return renderPdf(
    kept.map((blocks, i) => ({ blocks, font: 'Helvetica', footer: `Page ${i + 1} of ${built.length}` })),
  );
}
