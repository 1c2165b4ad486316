/**
 * @module A deterministic set of generated clinic files: every document type in turn, a fixed share
 * incomplete (one thing left out: a signature, a birth date, a date, a member ID, an NPI, a reason, or
 * the second page), some sent as multi-document faxes with cover sheets, blank pages, separator
 * barcode sheets or nothing between documents (their "Page 1 of N" restarts), some clinic forms with
 * a document-type barcode. Each file comes with its ground truth.
 */
import { documentTypes, type DocumentType } from '../model/intake-model.js';
import { checklistItems, checklists, type ChecklistItem } from '../completeness/checklists.js';
import type { Block, DocumentTruth, FileTruth, FontFamily, PagePlan } from './layout.js';
import { clinician, iso, patient, randomDay, written } from './people.js';
import { Rng } from './random.js';
import { templates, type Template, type TemplateContext } from './templates.js';

import { documentTypeBarcodePrefix, separatorBarcode } from '../reading/splitting.js';

export { documentTypeBarcodePrefix, separatorBarcode };

export interface GenerateOptions {
  readonly seed: number;
  /** How many documents (not files). */
  readonly documents: number;
  /** Share of documents left incomplete (default 0.2). */
  readonly incompleteShare?: number;
  /** Share of documents sent inside multi-document faxes (default 0.3). */
  readonly multiDocumentShare?: number;
}

export interface GeneratedFile {
  readonly truth: FileTruth;
  readonly pages: readonly PagePlan[];
}

const omittable: readonly ChecklistItem[] = [
  'birthDate',
  'documentDate',
  'memberId',
  'fromNpi',
  'subject',
  'signature',
];
const typeBarcoded: readonly DocumentType[] = ['intake-form', 'consent', 'records-request'];
const fonts: readonly FontFamily[] = ['Helvetica', 'Times-Roman', 'Courier'];

function coverSheet(rng: Rng, pageCount: number): PagePlan {
  const from = clinician(rng);
  const to = clinician(rng);
  const blocks: Block[] = [
    { k: 'title', text: rng.pick(['FAX COVER SHEET', 'Facsimile Transmittal', 'FAX TRANSMISSION']) },
    { k: 'field', label: 'To:', value: to.clinic },
    { k: 'field', label: 'Fax:', value: to.fax },
    { k: 'field', label: 'From:', value: from.clinic },
    { k: 'field', label: 'Phone:', value: from.phone },
    { k: 'field', label: 'Date:', value: written(randomDay(rng, 2026, 2026), rng.int(0, 2)) },
    {
      k: 'field',
      label: rng.pick(['Number of pages (including cover):', 'Pages including cover:']),
      value: String(pageCount),
    },
    { k: 'field', label: 'Re:', value: rng.pick(['Patient documents', 'Records as requested', 'Please see attached']) },
    { k: 'gap' },
    {
      k: 'para',
      text: 'CONFIDENTIALITY NOTICE: This facsimile may contain protected health information. If you received it in error, notify the sender by telephone and destroy all copies.',
    },
  ];
  return { blocks, font: rng.pick(fonts) };
}

function chooseOmit(rng: Rng, template: Template, numbered: boolean): ChecklistItem | 'page' {
  const options: (ChecklistItem | 'page')[] = omittable.filter(
    (item) => checklists[template.type].includes(item) && (item !== 'signature' || template.signs),
  );
  if (template.twoPages && numbered) options.push('page');
  return rng.pick(options);
}

interface PlannedDocument {
  readonly pages: PagePlan[];
  readonly truth: Omit<DocumentTruth, 'pages'>;
}

function planDocument(rng: Rng, type: DocumentType, incomplete: boolean): PlannedDocument {
  const candidates = templates.filter((t) => t.type === type);
  let template = rng.pick(candidates);
  // An incomplete document needs something to leave out; `other` has only its second page.
  if (incomplete && type === 'other') template = candidates.find((t) => t.twoPages) ?? template;
  const numbered = incomplete && template.twoPages && type === 'other' ? true : rng.chance(0.85);
  const omit = incomplete ? chooseOmit(rng, template, numbered) : undefined;
  const p = patient(rng);
  const c: TemplateContext = {
    rng,
    patient: p,
    from: clinician(rng),
    to: clinician(rng),
    date: randomDay(rng, 2026, 2026),
    dateStyle: rng.int(0, 2),
    omit,
    esign: rng.chance(0.35),
  };
  const built = template.build(c);
  const font = rng.pick(fonts);
  const total = built.length;
  if (typeBarcoded.includes(type) && rng.chance(0.3)) {
    built[0] = [{ k: 'barcode', value: `${documentTypeBarcodePrefix}${type}` }, ...(built[0] ?? [])];
  }
  const kept = omit === 'page' ? built.slice(0, total - 1) : built;
  const pages = kept.map((blocks, i): PagePlan =>
    numbered ? { blocks, font, footer: `Page ${i + 1} of ${total}` } : { blocks, font },
  );
  const has = (item: ChecklistItem): boolean => omit !== item;
  const missing = omit === undefined ? [] : omit === 'page' ? [`page ${total} of ${total}`] : [checklistItems[omit]];
  return {
    pages,
    truth: {
      type,
      complete: omit === undefined,
      missing,
      template: template.name,
      fields: {
        patientFamily: p.family,
        patientGiven: p.given,
        // Only where the template prints it: the types whose checklist asks for it.
        ...(has('birthDate') && checklists[type].includes('birthDate') ? { birthDate: iso(p.birthDate) } : {}),
        ...(has('memberId') && (type === 'insurance-card' || type === 'prior-authorization')
          ? { memberId: p.memberId }
          : {}),
        ...(has('documentDate') && type !== 'insurance-card' && type !== 'other' ? { documentDate: iso(c.date) } : {}),
        ...(has('fromNpi') && type === 'referral-letter' ? { fromNpi: c.from.npi } : {}),
        ...(template.signs ? { signed: has('signature') } : {}),
      },
    },
  };
}

/** The documents' types and incompleteness, spread evenly and shuffled by the seed. */
function plan(rng: Rng, count: number, incompleteShare: number): { type: DocumentType; incomplete: boolean }[] {
  const incomplete = new Set(
    rng.shuffle(Array.from({ length: count }, (_, i) => i)).slice(0, Math.round(count * incompleteShare)),
  );
  const types = rng.shuffle(
    Array.from({ length: count }, (_, i) => documentTypes[i % documentTypes.length] as DocumentType),
  );
  return types.map((type, i) => ({ type, incomplete: incomplete.has(i) }));
}

/** Files of generated documents, with their truth, in a fixed order for a seed. */
export function* generateFiles(options: GenerateOptions): Generator<GeneratedFile> {
  const rng = new Rng(options.seed);
  const docs = plan(rng, options.documents, options.incompleteShare ?? 0.2);
  const multiShare = options.multiDocumentShare ?? 0.3;
  let next = 0;
  let fileNo = 0;
  while (next < docs.length) {
    const group = rng.chance(multiShare / 2.5) ? Math.min(rng.int(2, 3), docs.length - next) : 1;
    const planned = docs.slice(next, next + group).map((d) => planDocument(rng, d.type, d.incomplete));
    next += group;
    const pages: PagePlan[] = [];
    const separators: number[] = [];
    const documents: DocumentTruth[] = [];
    const withCover = rng.chance(group > 1 ? 0.7 : 0.35);
    if (withCover) {
      separators.push(0);
      pages.push({ blocks: [], font: 'Helvetica' }); // the cover, filled in once the page count is known
    }
    for (const [i, doc] of planned.entries()) {
      if (i > 0) {
        const numbered = doc.pages[0]?.footer !== undefined;
        const kind = rng.pick(numbered ? ['cover', 'blank', 'barcode', 'none'] : ['cover', 'blank', 'barcode']);
        if (kind === 'cover') {
          separators.push(pages.length);
          pages.push(coverSheet(rng, 1 + doc.pages.length));
        } else if (kind === 'blank') {
          separators.push(pages.length);
          pages.push({ blocks: [], font: 'Helvetica' });
        } else if (kind === 'barcode') {
          separators.push(pages.length);
          pages.push({
            blocks: [
              { k: 'barcode', value: separatorBarcode },
              { k: 'line', text: 'Separator sheet' },
            ],
            font: 'Helvetica',
          });
        }
      }
      documents.push({ ...doc.truth, pages: doc.pages.map((_, j) => pages.length + j) });
      pages.push(...doc.pages);
    }
    if (withCover) pages[0] = coverSheet(rng, pages.length);
    fileNo += 1;
    const name = `doc-${String(options.seed)}-${String(fileNo).padStart(4, '0')}`;
    yield {
      pages,
      truth: { name, mediaType: 'application/pdf', pageCount: pages.length, separators, documents },
    };
  }
}
