/**
 * @module Several layouts and wordings per document type, so that a classifier trained on them is
 * not keyed on one phrase: a referral is often a letter that never says "referral" ("Please see
 * this patient for evaluation of…") or an order sheet; a result may be a lab panel or an imaging
 * report. Each template honours `omit` (the one item an incomplete document lacks) and says which
 * templates run to two pages (so a page can go missing).
 */
import type { DocumentType } from '../model/intake-model.js';
import type { ChecklistItem } from '../completeness/checklists.js';
import type { Block } from './layout.js';
import { iso, randomDay, written, type Clinician, type Day, type Patient } from './people.js';
import type { Rng } from './random.js';

export interface TemplateContext {
  readonly rng: Rng;
  readonly patient: Patient;
  readonly from: Clinician;
  readonly to: Clinician;
  readonly date: Day;
  readonly dateStyle: number;
  /** What this document lacks, when it is one of the incomplete ones. */
  readonly omit: ChecklistItem | 'page' | undefined;
  /** Whether to sign electronically (a text line) rather than by hand. */
  readonly esign: boolean;
}

export interface Template {
  readonly name: string;
  readonly type: DocumentType;
  /** True when the document has two pages (so `omit: 'page'` can drop the second). */
  readonly twoPages: boolean;
  /** Whether it carries a signature line at all (what `omit: 'signature'` can take away). */
  readonly signs: boolean;
  build(c: TemplateContext): Block[][];
}

const D = (c: TemplateContext, d: Day): string => written(d, c.dateStyle);
const dr = (x: Clinician): string => `Dr. ${x.given} ${x.family}`;
const fullName = (p: Patient, style: number): string =>
  style % 2 === 0 ? `${p.given} ${p.family}` : `${p.family}, ${p.given}`;
const keep = (c: TemplateContext, item: ChecklistItem, block: Block): Block[] => (c.omit === item ? [] : [block]);
const dobLabels = ['DOB:', 'Date of Birth:', 'Birth Date:', 'D.O.B.:'];
const dob = (c: TemplateContext): Block[] =>
  keep(c, 'birthDate', { k: 'field', label: c.rng.pick(dobLabels), value: D(c, c.patient.birthDate) });
const docDate = (c: TemplateContext, labels: readonly string[]): Block[] =>
  keep(c, 'documentDate', { k: 'field', label: c.rng.pick(labels), value: D(c, c.date) });
const patientName = (c: TemplateContext, labels: readonly string[]): Block => ({
  k: 'field',
  label: c.rng.pick(labels),
  value: fullName(c.patient, c.rng.int(0, 1)),
});
const mrn = (c: TemplateContext): Block => ({
  k: 'field',
  label: c.rng.pick(['MRN:', 'Medical Record #:', 'Chart No.:']),
  value: c.patient.mrn,
});
const member = (c: TemplateContext): Block[] =>
  keep(c, 'memberId', {
    k: 'field',
    label: c.rng.pick(['Member ID:', 'Subscriber ID:', 'ID #:']),
    value: c.patient.memberId,
  });
/** A hand signature line, or an electronic signature statement; nothing of either when the signature is what is missing. */
function signature(c: TemplateContext, label: string, who: string): Block[] {
  if (c.omit === 'signature') return c.esign ? [] : [{ k: 'sig', label, mode: 'blank', seed: c.rng.int(1, 1e9) }];
  if (c.esign) return [{ k: 'line', text: `Electronically signed by ${who} on ${D(c, c.date)}` }];
  return [{ k: 'sig', label, mode: 'ink', seed: c.rng.int(1, 1e9) }];
}
const letterhead = (x: Clinician): Block[] => [
  { k: 'title', text: x.clinic },
  { k: 'line', text: `${x.specialty === '' ? '' : ''}Phone ${x.phone}   Fax ${x.fax}` },
];
const conditions = [
  'chest pain on exertion',
  'persistent palpitations',
  'a changing pigmented lesion on the back',
  'chronic epigastric pain',
  'recurrent migraine with aura',
  'right knee pain after a fall',
  'poorly controlled type 2 diabetes',
  'shortness of breath',
  'joint swelling and morning stiffness',
  'microscopic hematuria',
  'blurred vision in the left eye',
  'thyroid nodule',
];

const referralLetter: Template = {
  name: 'referral-letter/see-for-evaluation',
  type: 'referral-letter',
  twoPages: false,
  signs: true,
  build: (c) => {
    const why = c.rng.pick(conditions);
    return [
      [
        ...letterhead(c.from),
        ...docDate(c, ['Date:', 'Dated:']),
        { k: 'gap' },
        { k: 'line', text: `${dr(c.to)}, ${c.to.specialty}` },
        { k: 'line', text: c.to.clinic },
        { k: 'gap' },
        patientName(c, ['Re:', 'RE:', 'Patient:']),
        ...dob(c),
        mrn(c),
        ...keep(c, 'subject', { k: 'field', label: 'Reason:', value: `evaluation of ${why}` }),
        { k: 'gap' },
        { k: 'line', text: `Dear ${dr(c.to)},` },
        {
          k: 'para',
          text: `${c.rng.pick(['Please see this patient', 'I would appreciate it if you could see this patient', 'Kindly evaluate this patient'])} for ${why}. ${c.rng.pick(['Symptoms began about three months ago and have not improved with conservative care.', 'Recent office notes and medication list are enclosed.', 'I would value your opinion on further workup and management.'])} Please send your consultation note back to our office.`,
        },
        { k: 'para', text: 'Thank you for seeing this patient. Do not hesitate to call with questions.' },
        { k: 'line', text: 'Sincerely,' },
        ...signature(c, 'Signature:', dr(c.from)),
        { k: 'line', text: `${dr(c.from)}, ${c.from.clinic}` },
        ...keep(c, 'fromNpi', { k: 'field', label: 'NPI:', value: c.from.npi }),
      ],
    ];
  },
};

const referralOrder: Template = {
  name: 'referral-letter/order-sheet',
  type: 'referral-letter',
  twoPages: true,
  signs: true,
  build: (c) => {
    const why = c.rng.pick(conditions);
    return [
      [
        {
          k: 'title',
          text: c.rng.pick(['OUTPATIENT SPECIALTY ORDER', 'SERVICE REQUEST', 'Specialist Consultation Request']),
        },
        { k: 'line', text: `Ordering clinic: ${c.from.clinic}   Fax ${c.from.fax}` },
        ...docDate(c, ['Order date:', 'Date:']),
        { k: 'heading', text: 'Patient' },
        patientName(c, ['Patient Name:', 'Name:']),
        ...dob(c),
        mrn(c),
        { k: 'field', label: 'Insurance:', value: c.patient.payer },
        { k: 'heading', text: 'Requested service' },
        { k: 'field', label: 'Specialty:', value: c.to.specialty },
        { k: 'field', label: 'To:', value: `${dr(c.to)}, ${c.to.clinic}` },
        ...keep(c, 'subject', { k: 'field', label: 'Diagnosis / reason:', value: why }),
        { k: 'field', label: 'Priority:', value: c.rng.pick(['Routine', 'Urgent', 'Within 2 weeks']) },
        { k: 'check', label: 'Evaluate and treat', checked: true },
        { k: 'check', label: 'Consult only', checked: false },
      ],
      [
        { k: 'heading', text: 'Clinical summary' },
        {
          k: 'para',
          text: `Problem list reviewed. ${why} noted at last visit. Labs and imaging attached where available.`,
        },
        { k: 'heading', text: 'Ordering provider' },
        { k: 'field', label: 'Provider:', value: dr(c.from) },
        ...keep(c, 'fromNpi', { k: 'field', label: 'NPI:', value: c.from.npi }),
        ...signature(c, 'Signature:', dr(c.from)),
      ],
    ];
  },
};

const referralShort: Template = {
  name: 'referral-letter/transfer-of-care',
  type: 'referral-letter',
  twoPages: false,
  signs: true,
  build: (c) => [
    [
      ...letterhead(c.from),
      ...docDate(c, ['Date:']),
      { k: 'line', text: `To: ${c.to.specialty} - ${c.to.clinic}` },
      patientName(c, ['Patient:', 'Re:']),
      ...dob(c),
      {
        k: 'para',
        text: `We are sending ${c.patient.given} to your practice for specialist assessment and ongoing management. The patient has been informed and will call to schedule.`,
      },
      ...keep(c, 'subject', { k: 'field', label: 'Presenting problem:', value: c.rng.pick(conditions) }),
      { k: 'field', label: 'From:', value: dr(c.from) },
      ...keep(c, 'fromNpi', { k: 'field', label: 'NPI:', value: c.from.npi }),
      ...signature(c, 'Signed:', dr(c.from)),
    ],
  ],
};

const intakeForm: Template = {
  name: 'intake-form/new-patient',
  type: 'intake-form',
  twoPages: true,
  signs: true,
  build: (c) => [
    [
      {
        k: 'title',
        text: c.rng.pick(['New Patient Registration', 'Patient Information Form', 'Welcome to Our Practice']),
      },
      { k: 'line', text: c.to.clinic },
      patientName(c, ['Patient Name:', 'Name:']),
      ...dob(c),
      { k: 'field', label: 'Phone:', value: c.patient.phone },
      {
        k: 'field',
        label: 'Address:',
        value: `${c.rng.int(10, 999)} ${c.rng.pick(['Oak', 'Maple', 'Birch', 'Elm'])} Street`,
      },
      { k: 'field', label: 'Emergency contact:', value: `${c.rng.pick(['Sam', 'Alex', 'Pat'])} ${c.patient.family}` },
      { k: 'field', label: 'Primary insurance:', value: c.patient.payer },
      { k: 'heading', text: 'Medical history (check all that apply)' },
      { k: 'check', label: 'High blood pressure', checked: c.rng.chance(0.4) },
      { k: 'check', label: 'Diabetes', checked: c.rng.chance(0.3) },
      { k: 'check', label: 'Asthma', checked: c.rng.chance(0.2) },
      { k: 'check', label: 'Allergies to medications', checked: c.rng.chance(0.3) },
    ],
    [
      { k: 'heading', text: 'Current medications' },
      { k: 'line', text: '1. ____________________   2. ____________________' },
      { k: 'heading', text: 'Acknowledgement' },
      { k: 'para', text: 'I confirm the information above is accurate to the best of my knowledge.' },
      ...signature(c, 'Patient Signature:', `${c.patient.given} ${c.patient.family}`),
      ...docDate(c, ['Date:', 'Date completed:']),
    ],
  ],
};

const intakeQuestionnaire: Template = {
  name: 'intake-form/health-questionnaire',
  type: 'intake-form',
  twoPages: false,
  signs: true,
  build: (c) => [
    [
      { k: 'title', text: c.rng.pick(['Health History Questionnaire', 'Pre-Visit Questionnaire']) },
      { k: 'para', text: 'Please complete this form before your first appointment and bring it with you.' },
      patientName(c, ['Name:', 'Patient:']),
      ...dob(c),
      { k: 'field', label: 'Preferred pharmacy:', value: c.rng.pick(['Corner Drug', 'Main St Pharmacy', 'Valley Rx']) },
      { k: 'check', label: 'Do you smoke?', checked: c.rng.chance(0.2) },
      { k: 'check', label: 'Any surgeries in the past?', checked: c.rng.chance(0.5) },
      { k: 'check', label: 'Family history of heart disease?', checked: c.rng.chance(0.3) },
      { k: 'field', label: 'Reason for visit:', value: c.rng.pick(['annual physical', 'establish care', 'follow-up']) },
      ...signature(c, 'Signature:', `${c.patient.given} ${c.patient.family}`),
      ...docDate(c, ['Date:']),
    ],
  ],
};

const insuranceCard: Template = {
  name: 'insurance-card/front-back',
  type: 'insurance-card',
  twoPages: false,
  signs: false,
  build: (c) => [
    [
      {
        k: 'card',
        lines: [
          c.patient.payer,
          `Member: ${c.patient.given} ${c.patient.family}`,
          ...(c.omit === 'memberId' ? [] : [`Member ID: ${c.patient.memberId}`]),
          `Group: ${c.rng.digits(6)}   Plan: ${c.rng.pick(['PPO', 'HMO', 'EPO'])}`,
          `RxBIN ${c.rng.digits(6)}  RxPCN ${c.rng.pick(['ADV', 'MEDD', 'RX1'])}`,
          `Copay PCP $${c.rng.int(1, 6) * 5}  Specialist $${c.rng.int(4, 12) * 5}`,
        ],
      },
      { k: 'gap' },
      {
        k: 'card',
        lines: [
          'Member services 1-800-555-0134',
          'Providers: submit claims to PO Box 4411',
          'Pharmacy help desk 1-800-555-0178',
          'This card does not guarantee coverage.',
        ],
      },
    ],
  ],
};

const insuranceCopy: Template = {
  name: 'insurance-card/photocopy-sheet',
  type: 'insurance-card',
  twoPages: false,
  signs: false,
  build: (c) => [
    [
      { k: 'line', text: 'Copy of insurance card (front and back)' },
      {
        k: 'card',
        lines: [
          `${c.patient.payer.toUpperCase()}`,
          `Subscriber: ${c.patient.family}, ${c.patient.given}`,
          ...(c.omit === 'memberId' ? [] : [`ID ${c.patient.memberId}`]),
          `Group No ${c.rng.digits(7)}`,
          `Effective ${D(c, randomDay(c.rng, 2024, 2026))}`,
        ],
      },
      {
        k: 'card',
        lines: ['Customer service and eligibility: 1-888-555-0190', 'Send claims electronically, payer ID 55123'],
      },
    ],
  ],
};

const labResult: Template = {
  name: 'result/lab-panel',
  type: 'result',
  twoPages: false,
  signs: false,
  build: (c) => [
    [
      { k: 'title', text: c.rng.pick(['Laboratory Report', 'LAB RESULTS', 'Final Report - Clinical Laboratory']) },
      patientName(c, ['Patient:', 'Name:']),
      ...dob(c),
      mrn(c),
      ...docDate(c, ['Collected:', 'Reported:', 'Date of service:']),
      { k: 'field', label: 'Ordering provider:', value: dr(c.to) },
      {
        k: 'table',
        rows: [
          ['Test', 'Result', 'Units', 'Reference range'],
          ['Hemoglobin A1c', `${c.rng.int(50, 95) / 10}`, '%', '4.0-5.6'],
          ['Glucose, fasting', `${c.rng.int(70, 180)}`, 'mg/dL', '70-99'],
          ['Creatinine', `${c.rng.int(6, 14) / 10}`, 'mg/dL', '0.6-1.3'],
          ['TSH', `${c.rng.int(4, 60) / 10}`, 'mIU/L', '0.4-4.0'],
          ['LDL cholesterol', `${c.rng.int(60, 190)}`, 'mg/dL', '<100'],
        ],
      },
      { k: 'line', text: 'H = above reference range. Results reviewed by laboratory director.' },
    ],
  ],
};

const imagingResult: Template = {
  name: 'result/imaging-report',
  type: 'result',
  twoPages: true,
  signs: false,
  build: (c) => {
    const study = c.rng.pick([
      'CT ABDOMEN AND PELVIS WITH CONTRAST',
      'MRI LEFT KNEE WITHOUT CONTRAST',
      'CHEST X-RAY, 2 VIEWS',
      'ULTRASOUND THYROID',
    ]);
    return [
      [
        { k: 'title', text: c.rng.pick(['Diagnostic Imaging', 'Radiology Report']) },
        patientName(c, ['Patient:', 'Patient Name:']),
        ...dob(c),
        mrn(c),
        ...docDate(c, ['Exam date:', 'Date of exam:']),
        { k: 'field', label: 'Exam:', value: study },
        { k: 'heading', text: 'Clinical indication' },
        { k: 'para', text: c.rng.pick(conditions) },
        { k: 'heading', text: 'Technique' },
        { k: 'para', text: 'Standard protocol. Comparison: none available.' },
      ],
      [
        { k: 'heading', text: 'Findings' },
        { k: 'para', text: 'No acute abnormality. Small nonspecific finding measuring 4 mm, likely benign.' },
        { k: 'heading', text: 'Impression' },
        { k: 'para', text: 'No acute process. Recommend routine follow-up imaging in 12 months.' },
        { k: 'line', text: `Interpreting radiologist: ${dr(c.from)}` },
      ],
    ];
  },
};

const consultNote: Template = {
  name: 'consult-note/soap',
  type: 'consult-note',
  twoPages: true,
  signs: true,
  build: (c) => [
    [
      { k: 'title', text: `${c.from.specialty} ${c.rng.pick(['Consultation', 'Consult Note', 'Office Visit Note'])}` },
      { k: 'line', text: c.from.clinic },
      patientName(c, ['Patient:', 'Name:']),
      ...dob(c),
      mrn(c),
      ...docDate(c, ['Date of visit:', 'Date of service:', 'Visit date:']),
      { k: 'field', label: 'Referring provider:', value: dr(c.to) },
      { k: 'heading', text: 'Subjective' },
      {
        k: 'para',
        text: `Seen in consultation for ${c.rng.pick(conditions)}. Reports intermittent symptoms, no fever.`,
      },
      { k: 'heading', text: 'Objective' },
      {
        k: 'para',
        text: `BP ${c.rng.int(110, 150)}/${c.rng.int(60, 95)}, HR ${c.rng.int(58, 98)}. Exam otherwise unremarkable.`,
      },
    ],
    [
      { k: 'heading', text: 'Assessment and plan' },
      {
        k: 'para',
        text: 'Likely benign etiology. Start trial of therapy, repeat labs in 6 weeks, return visit in 3 months.',
      },
      { k: 'para', text: 'Thank you for this consultation. A copy has been sent to the referring provider.' },
      ...signature(c, 'Signature:', `${dr(c.from)}, ${c.from.specialty}`),
    ],
  ],
};

const consultLetter: Template = {
  name: 'consult-note/letter-back',
  type: 'consult-note',
  twoPages: false,
  signs: true,
  build: (c) => [
    [
      ...letterhead(c.from),
      ...docDate(c, ['Date:', 'Date of visit:']),
      { k: 'line', text: `Dear ${dr(c.to)},` },
      patientName(c, ['Re:', 'RE:']),
      ...dob(c),
      {
        k: 'para',
        text: `I had the pleasure of seeing your patient today in our ${c.from.specialty.toLowerCase()} clinic. History and examination were consistent with ${c.rng.pick(conditions)}. My impression and recommendations follow.`,
      },
      {
        k: 'para',
        text: 'Recommendations: continue current medication, obtain follow-up testing, and I will see the patient again in two months.',
      },
      ...signature(c, 'Signature:', dr(c.from)),
    ],
  ],
};

const recordsRequest: Template = {
  name: 'records-request/authorization',
  type: 'records-request',
  twoPages: false,
  signs: true,
  build: (c) => [
    [
      {
        k: 'title',
        text: c.rng.pick([
          'Authorization for Release of Medical Records',
          'Request for Medical Records',
          'Release of Information',
        ]),
      },
      patientName(c, ['Patient Name:', 'Name:']),
      ...dob(c),
      { k: 'field', label: 'Release records from:', value: c.to.clinic },
      { k: 'field', label: 'Send records to:', value: `${c.from.clinic}, fax ${c.from.fax}` },
      { k: 'check', label: 'Office visit notes', checked: true },
      { k: 'check', label: 'Laboratory and imaging results', checked: c.rng.chance(0.7) },
      { k: 'check', label: 'Immunization records', checked: c.rng.chance(0.4) },
      {
        k: 'para',
        text: 'This authorization expires one year from the date signed. I may revoke it in writing at any time.',
      },
      ...signature(c, 'Signature of patient:', `${c.patient.given} ${c.patient.family}`),
      ...docDate(c, ['Date:']),
    ],
  ],
};

const recordsLetter: Template = {
  name: 'records-request/office-letter',
  type: 'records-request',
  twoPages: false,
  signs: true,
  build: (c) => [
    [
      ...letterhead(c.from),
      ...docDate(c, ['Date:']),
      { k: 'line', text: `To: Medical Records Department, ${c.to.clinic}` },
      patientName(c, ['Re:', 'Patient:']),
      ...dob(c),
      {
        k: 'para',
        text: `Our practice is now caring for this patient. Please forward copies of the chart, including the last two years of progress notes, medication lists and test results, to the fax number above. A signed patient authorization is on file.`,
      },
      ...signature(c, 'Signature:', dr(c.from)),
    ],
  ],
};

const priorAuthApproval: Template = {
  name: 'prior-authorization/payer-determination',
  type: 'prior-authorization',
  twoPages: true,
  signs: false,
  build: (c) => {
    const approved = c.rng.chance(0.7);
    return [
      [
        { k: 'title', text: c.patient.payer },
        { k: 'line', text: 'Utilization Management Department' },
        ...docDate(c, ['Date:', 'Notice date:']),
        { k: 'line', text: `To: ${dr(c.to)}, ${c.to.clinic}` },
        patientName(c, ['Member:', 'Member Name:']),
        ...member(c),
        { k: 'field', label: 'Reference #:', value: `PA${c.rng.digits(8)}` },
        {
          k: 'field',
          label: 'Service:',
          value: c.rng.pick(['MRI lumbar spine', 'Sleep study', 'Specialty medication', 'Outpatient surgery']),
        },
        {
          k: 'para',
          text: approved
            ? 'We have reviewed the request for the service above and it has been APPROVED as medically necessary for the dates shown.'
            : 'After review, the requested service is NOT APPROVED. The information submitted does not meet coverage criteria.',
        },
      ],
      [
        { k: 'heading', text: 'Your appeal rights' },
        {
          k: 'para',
          text: 'You or your provider may request an appeal within 180 days of this notice. Call member services for help.',
        },
        { k: 'line', text: 'Utilization review nurse reviewer' },
      ],
    ];
  },
};

const priorAuthRequest: Template = {
  name: 'prior-authorization/request-form',
  type: 'prior-authorization',
  twoPages: false,
  signs: false,
  build: (c) => [
    [
      { k: 'title', text: c.rng.pick(['Prior Authorization Request', 'Precertification Request Form']) },
      { k: 'line', text: `Health plan: ${c.patient.payer}` },
      ...docDate(c, ['Date of request:', 'Date:']),
      patientName(c, ['Member Name:', 'Patient:']),
      ...member(c),
      {
        k: 'field',
        label: 'Requested medication or service:',
        value: c.rng.pick(['adalimumab', 'semaglutide', 'knee arthroscopy', 'CPAP device']),
      },
      { k: 'field', label: 'Diagnosis code:', value: c.rng.pick(['E11.9', 'M17.11', 'G47.33', 'L40.0']) },
      {
        k: 'para',
        text: 'Clinical rationale: failed first-line therapy for 3 months; chart notes attached. Urgent review is not requested.',
      },
      { k: 'field', label: 'Prescriber:', value: dr(c.from) },
    ],
  ],
};

const consentProcedure: Template = {
  name: 'consent/procedure',
  type: 'consent',
  twoPages: false,
  signs: true,
  build: (c) => [
    [
      {
        k: 'title',
        text: c.rng.pick(['Informed Consent for Procedure', 'Consent to Treatment', 'Patient Consent Form']),
      },
      patientName(c, ['Patient Name:', 'Patient:']),
      {
        k: 'field',
        label: 'Procedure:',
        value: c.rng.pick(['skin biopsy', 'colonoscopy', 'joint injection', 'vaccination']),
      },
      {
        k: 'para',
        text: 'The nature of the procedure, its risks, benefits and alternatives have been explained to me. I have had the opportunity to ask questions and I agree to proceed.',
      },
      { k: 'check', label: 'I consent to the procedure described above', checked: true },
      ...signature(c, 'Signature:', `${c.patient.given} ${c.patient.family}`),
      ...docDate(c, ['Date:']),
    ],
  ],
};

const consentPrivacy: Template = {
  name: 'consent/privacy-telehealth',
  type: 'consent',
  twoPages: true,
  signs: true,
  build: (c) => [
    [
      {
        k: 'title',
        text: c.rng.pick([
          'Acknowledgement of Privacy Practices',
          'Telehealth Consent',
          'Consent to Communicate by Text and Email',
        ]),
      },
      patientName(c, ['Name:', 'Patient Name:']),
      {
        k: 'para',
        text: 'I acknowledge that I have received the notice describing how my health information may be used and disclosed, and I agree to the terms described.',
      },
      { k: 'para', text: 'I understand I may withdraw this agreement at any time by telling the practice in writing.' },
    ],
    [
      { k: 'check', label: 'I agree', checked: true },
      ...signature(c, 'Signature:', `${c.patient.given} ${c.patient.family}`),
      ...docDate(c, ['Date:']),
    ],
  ],
};

const otherMemo: Template = {
  name: 'other/office-memo',
  type: 'other',
  twoPages: true,
  signs: false,
  build: (c) => [
    [
      { k: 'title', text: c.rng.pick(['Office Memo', 'Newsletter', 'Vendor Notice']) },
      { k: 'line', text: `From: ${c.from.clinic}` },
      {
        k: 'para',
        text: c.rng.pick([
          'Our office will be closed for the holiday. Please update your directory with our new hours beginning next month.',
          'Reminder: the parking lot will be resurfaced this weekend. Staff should use the north entrance.',
          'New pricing for office supplies takes effect next quarter. Contact your account representative with questions.',
        ]),
      },
      patientName(c, ['Attn:']),
    ],
    [{ k: 'para', text: 'Thank you for your continued partnership. This notice requires no reply.' }],
  ],
};

const otherInvoice: Template = {
  name: 'other/statement',
  type: 'other',
  twoPages: false,
  signs: false,
  build: (c) => [
    [
      { k: 'title', text: c.rng.pick(['Statement of Account', 'Invoice', 'Billing Statement']) },
      { k: 'line', text: c.from.clinic },
      patientName(c, ['Account holder:', 'Bill to:']),
      { k: 'field', label: 'Account #:', value: c.rng.digits(8) },
      {
        k: 'table',
        rows: [
          ['Item', 'Amount'],
          ['Office supplies', `$${c.rng.int(20, 400)}.00`],
          ['Service fee', `$${c.rng.int(5, 50)}.00`],
        ],
      },
      { k: 'line', text: 'Please remit payment within 30 days.' },
    ],
  ],
};

export const templates: readonly Template[] = [
  referralLetter,
  referralOrder,
  referralShort,
  intakeForm,
  intakeQuestionnaire,
  insuranceCard,
  insuranceCopy,
  labResult,
  imagingResult,
  consultNote,
  consultLetter,
  recordsRequest,
  recordsLetter,
  priorAuthApproval,
  priorAuthRequest,
  consentProcedure,
  consentPrivacy,
  otherMemo,
  otherInvoice,
];

export { iso };
