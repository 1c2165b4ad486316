/**
 * @module A synthetic practice export for tests and benchmarks: contacts (people and
 * organizations, synthetic names only), relationships in every default type, and notes, as CSV
 * files with a mapping. Deterministic for a seed. Optional faults: malformed rows, certain and
 * uncertain duplicate people, and broken references, with the counts a correct import must report.
 *
 * Run it: `node packages/relationships/dist/testing/contact-generator.js <dir> [contacts] [notes]`.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { stringify } from 'csv-stringify/sync';

export interface GeneratorOptions {
  readonly contacts: number;
  readonly notes: number;
  readonly seed?: number;
  readonly faults?: {
    /** Contact rows with a wrong column count, and note rows without text. */
    readonly malformed?: number;
    /** People exported twice under another id: same name, birth date and phone (merged). */
    readonly duplicates?: number;
    /** Same name and birth date, different phone and email (kept apart, reviewed). */
    readonly uncertain?: number;
    /** Relationships and notes naming contacts that do not exist. */
    readonly brokenReferences?: number;
  };
}

export interface GeneratedExport {
  readonly dir: string;
  readonly contactsFile: string;
  readonly mappingFile: string;
  /** What a correct import must find. */
  readonly expected: {
    readonly contactRows: number;
    readonly relationshipRows: number;
    readonly noteRows: number;
    readonly types: readonly string[];
    readonly malformedContacts: number;
    readonly malformedNotes: number;
    readonly duplicates: number;
    readonly uncertain: number;
    readonly brokenRelationships: number;
    readonly brokenNotes: number;
  };
}

/** Source labels → default type codes, as a practice's mapping would declare them. */
const typeLabels: Readonly<Record<string, string>> = {
  Patient: 'patient',
  Spouse: 'spouse',
  Partner: 'partner',
  Parent: 'parent',
  Child: 'child',
  Caregiver: 'family-caregiver',
  Guardian: 'legal-guardian',
  'HC Proxy': 'healthcare-proxy',
  POA: 'power-of-attorney',
  Guarantor: 'guarantor',
  Emergency: 'emergency-contact',
  Referrer: 'referring-provider',
  PCP: 'primary-care-provider',
  Specialist: 'specialist',
  'Case Mgr': 'case-manager',
  Broker: 'insurance-broker',
  Employer: 'employer',
  Facility: 'facility',
};

const given = [
  'Avery',
  'Blake',
  'Casey',
  'Devon',
  'Emery',
  'Finley',
  'Harper',
  'Jordan',
  'Kai',
  'Logan',
  'Morgan',
  'Noa',
  'Parker',
  'Quinn',
  'Reese',
  'Rowan',
  'Sage',
  'Taylor',
  'Zoë',
  'Ñico',
];
const family = [
  'Testperson',
  'Samplewood',
  'Fakeley',
  'Mockridge',
  'Synthetica',
  'Placeholder',
  'Dummond',
  'Exampleton',
  'Fictus',
  'Notreal',
  'Imaginary',
  'Madeup',
  "O'Synth",
  'Van Proto',
];
const orgWords = ['Harbor', 'Summit', 'Maple', 'Cedar', 'Lakeside', 'Pioneer', 'Riverside', 'Northfield'];
const orgKinds = ['Insurance Agency', 'Manufacturing', 'Care Facility', 'Family Practice', 'Logistics', 'Rehab Center'];
const phrases = [
  'Called about the appointment, prefers mornings',
  'Confirmed insurance details; card on file',
  'Asked for records to be sent, "urgent" per caller',
  'Left voicemail, will retry',
  'Discussed billing plan, agreed to monthly payments',
  'Visited with family, notes from intake:\nline two of the note',
  'Café visit follow-up — résumé of discussion, naïve questions answered',
  'Transport arranged for next visit, wheelchair needed',
];

function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function generateContactExport(dir: string, options: GeneratorOptions): GeneratedExport {
  const r = rng(options.seed ?? 42);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(r() * xs.length)] as T;
  const pad = (n: number, w = 5): string => n.toString().padStart(w, '0');
  const faults = options.faults ?? {};
  mkdirSync(dir, { recursive: true });

  type Row = Record<string, string>;
  const header = [
    'contact_id',
    'type',
    'last_name',
    'first_name',
    'org_name',
    'dob',
    'phone',
    'email',
    'address',
    'guarantor_id',
  ];
  const contacts: Row[] = [];
  const orgCount = Math.max(8, Math.round(options.contacts * 0.1));
  const personCount = options.contacts - orgCount;
  const orgs: string[] = [];
  for (let i = 0; i < orgCount; i++) {
    const id = `O${pad(i)}`;
    orgs.push(id);
    contacts.push({
      contact_id: id,
      type: 'Org',
      last_name: '',
      first_name: '',
      org_name: `${pick(orgWords)} ${pick(orgKinds)} ${i}`,
      dob: '',
      phone: `555-01${pad(i, 2).slice(-2)}-${pad(i, 4).slice(-4)}`,
      email: `office${i}@example.org`,
      address: `${i} Example Way`,
      guarantor_id: '',
    });
  }
  const people: string[] = [];
  for (let i = 0; i < personCount; i++) {
    const id = `P${pad(i)}`;
    people.push(id);
    const y = 1930 + Math.floor(r() * 90);
    const dob =
      r() < 0.5
        ? `${y}-${pad(1 + Math.floor(r() * 12), 2)}-${pad(1 + Math.floor(r() * 28), 2)}`
        : `${1 + Math.floor(r() * 12)}/${1 + Math.floor(r() * 28)}/${y}`;
    contacts.push({
      contact_id: id,
      type: 'Person',
      last_name: `${pick(family)}${i}`,
      first_name: pick(given),
      org_name: '',
      dob,
      phone: `(555) ${pad(200 + (i % 800), 3)}-${pad(i, 4).slice(-4)}`,
      email: r() < 0.7 ? `person${i}@example.com` : '',
      address: r() < 0.5 ? `${i} Synthetic Street, Apt "${i % 9}"` : '',
      guarantor_id: '',
    });
  }
  // Relationships: patients are the first half of the people; the others relate to them.
  const patients = people.slice(0, Math.ceil(personCount / 2));
  const others = people.slice(patients.length);
  const relHeader = ['rel_id', 'from_id', 'to_id', 'kind', 'start', 'end', 'authority'];
  const rels: Row[] = [];
  const personTypes = [
    'Spouse',
    'Partner',
    'Parent',
    'Child',
    'Caregiver',
    'Guardian',
    'HC Proxy',
    'POA',
    'Emergency',
    'Referrer',
    'PCP',
    'Specialist',
    'Case Mgr',
    'Broker',
  ];
  const used = new Set<string>();
  let rid = 0;
  const addRel = (from: string, to: string, kind: string): void => {
    const end = r() < 0.15 ? `20${10 + Math.floor(r() * 10)}-12-31` : '';
    rels.push({
      rel_id: `R${pad(rid++, 6)}`,
      from_id: from,
      to_id: to,
      kind,
      start: end !== '' ? '2005-01-01' : r() < 0.5 ? '2015-06-01' : '',
      end,
      authority: '',
    });
    used.add(kind);
  };
  patients.forEach((p, i) => {
    addRel(p, pick(orgs), 'Patient');
    addRel(pick(others), p, personTypes[i % personTypes.length] as string);
    if (i % 3 === 0) addRel(pick(orgs), p, i % 2 === 0 ? 'Employer' : 'Facility');
  });
  // Inline guarantor links, resolved across rows.
  let links = 0;
  for (let i = 0; i < patients.length; i += 7) {
    const row = contacts.find((c) => c.contact_id === patients[i]);
    if (row !== undefined) {
      row.guarantor_id = pick(others);
      links++;
    }
  }
  used.add('Guarantor');
  // Notes: mostly on people, some on relationships.
  const noteHeader = ['note_id', 'contact_id', 'rel_id', 'author', 'written_at', 'body'];
  const notes: Row[] = [];
  for (let i = 0; i < options.notes; i++) {
    const onRel = i % 20 === 19 && rels.length > 0;
    const ts = `20${pad(10 + Math.floor(r() * 15), 2)}-${pad(1 + Math.floor(r() * 12), 2)}-${pad(1 + Math.floor(r() * 28), 2)}T${pad(Math.floor(r() * 24), 2)}:${pad(Math.floor(r() * 60), 2)}:00Z`;
    notes.push({
      note_id: `N${pad(i, 7)}`,
      contact_id: onRel ? '' : (contacts[i % contacts.length]?.contact_id ?? ''),
      rel_id: onRel ? (rels[i % rels.length]?.rel_id ?? '') : '',
      author: `Staff ${pick(given)}`,
      written_at: ts,
      body: `${pick(phrases)} (#${i})`,
    });
  }
  // Faults.
  let duplicates = 0;
  for (let i = 0; i < (faults.duplicates ?? 0); i++) {
    const src = contacts[orgCount + i * 3];
    if (src === undefined) break;
    contacts.push({ ...src, contact_id: `D${pad(i)}`, email: '', guarantor_id: '' });
    notes.push({
      note_id: `ND${pad(i)}`,
      contact_id: `D${pad(i)}`,
      rel_id: '',
      author: 'Staff Dup',
      written_at: '2020-01-01',
      body: 'Note on the duplicate record',
    });
    duplicates++;
  }
  let uncertain = 0;
  for (let i = 0; i < (faults.uncertain ?? 0); i++) {
    const src = contacts[orgCount + 1 + i * 3];
    if (src === undefined) break;
    contacts.push({
      ...src,
      contact_id: `U${pad(i)}`,
      phone: `555-999-${pad(i, 4)}`,
      email: `other${i}@example.net`,
      guarantor_id: '',
    });
    uncertain++;
  }
  let brokenRelationships = 0;
  let brokenNotes = 0;
  for (let i = 0; i < (faults.brokenReferences ?? 0); i++) {
    rels.push({
      rel_id: `RB${pad(i)}`,
      from_id: `MISSING${i}`,
      to_id: patients[i] ?? 'P00000',
      kind: 'Spouse',
      start: '',
      end: '',
      authority: '',
    });
    notes.push({
      note_id: `NB${pad(i)}`,
      contact_id: `MISSING${i}`,
      rel_id: '',
      author: 'Staff',
      written_at: '2021-02-03',
      body: 'Orphan note',
    });
    brokenRelationships++;
    brokenNotes++;
  }
  const malformed = faults.malformed ?? 0;
  for (let i = 0; i < malformed; i++)
    notes.push({
      note_id: `NM${pad(i)}`,
      contact_id: people[i] ?? 'P00000',
      rel_id: '',
      author: 'Staff',
      written_at: 'yesterday',
      body: '',
    });
  let contactsCsv = stringify(contacts, { header: true, columns: header });
  for (let i = 0; i < malformed; i++) contactsCsv += `BAD${i},Person,Short\n`;
  const contactsFile = join(dir, 'contacts.csv');
  writeFileSync(contactsFile, contactsCsv);
  writeFileSync(join(dir, 'relationships.csv'), stringify(rels, { header: true, columns: relHeader }));
  writeFileSync(join(dir, 'notes.csv'), stringify(notes, { header: true, columns: noteHeader }));
  const mapping = {
    source: 'legacy-crm',
    dateOrder: 'us',
    contacts: {
      id: 'contact_id',
      kind: 'type',
      kindValues: { Person: 'person', Org: 'organization' },
      family: 'last_name',
      given: 'first_name',
      organizationName: 'org_name',
      birthDate: 'dob',
      phone: 'phone',
      email: 'email',
      address: 'address',
      links: [{ column: 'guarantor_id', type: 'guarantor', linkedIs: 'from' }],
    },
    relationships: {
      file: 'relationships.csv',
      id: 'rel_id',
      from: 'from_id',
      to: 'to_id',
      type: 'kind',
      typeValues: typeLabels,
      start: 'start',
      end: 'end',
      permissions: 'authority',
    },
    notes: {
      file: 'notes.csv',
      id: 'note_id',
      contact: 'contact_id',
      relationship: 'rel_id',
      author: 'author',
      time: 'written_at',
      text: 'body',
    },
  };
  const mappingFile = join(dir, 'mapping.json');
  writeFileSync(mappingFile, JSON.stringify(mapping, null, 2));
  return {
    dir,
    contactsFile,
    mappingFile,
    expected: {
      contactRows: contacts.length + malformed,
      relationshipRows: rels.length + links,
      noteRows: notes.length,
      types: [...used].map((u) => typeLabels[u] ?? u),
      malformedContacts: malformed,
      malformedNotes: malformed,
      duplicates,
      uncertain,
      brokenRelationships,
      brokenNotes,
    },
  };
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const [dir, contacts, notes] = process.argv.slice(2);
  if (dir === undefined) throw new Error('usage: contact-generator <dir> [contacts=1600] [notes=32000]');
  const g = generateContactExport(dir, { contacts: Number(contacts ?? 1600), notes: Number(notes ?? 32000) });
  process.stdout.write(`${JSON.stringify(g.expected)}\n`);
}
