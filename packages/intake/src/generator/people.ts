/**
 * @module Synthetic people, clinics and payers for generated documents: made-up names, birth dates,
 * MRNs, member IDs and NPIs with a valid check digit. Never real data.
 */
import type { Rng } from './random.js';

const givenNames = [
  'Avery',
  'Jordan',
  'Morgan',
  'Riley',
  'Casey',
  'Quinn',
  'Rowan',
  'Harper',
  'Emerson',
  'Finley',
  'Marisol',
  'Tobias',
  'Ingrid',
  'Desmond',
  'Priya',
  'Kenji',
  'Lucia',
  'Oskar',
  'Noor',
  'Elena',
  'Dmitri',
  'Amara',
  'Bram',
  'Celeste',
  'Dorian',
  'Esme',
  'Felix',
  'Greta',
  'Hollis',
  'Ines',
];
const familyNames = [
  'Abernathy',
  'Bellweather',
  'Castellano',
  'Drummond',
  'Eastwood',
  'Fairbanks',
  'Galloway',
  'Holloway',
  'Ingersoll',
  'Jablonski',
  'Kowalczyk',
  'Lindqvist',
  'Montague',
  'Nakagawa',
  'Okonkwo',
  'Pemberton',
  'Quintero',
  'Rasmussen',
  'Sorensen',
  'Thistlewood',
  'Underhill',
  'Vasquez',
  'Whitfield',
  'Yarborough',
  'Zelinski',
  'Achterberg',
  'Brightwater',
  'Coldwell',
  'Dunmore',
  'Everly',
];
const clinicianFamilies = [
  'Hartley',
  'Okafor',
  'Lindgren',
  'Mehta',
  'Calloway',
  'Strand',
  'Iverson',
  'Duarte',
  'Kaplan',
  'Novak',
];
const clinicianGivens = [
  'Alana',
  'Bernard',
  'Cyrus',
  'Delphine',
  'Edwin',
  'Farah',
  'Gideon',
  'Helena',
  'Isaac',
  'Julia',
];
export const clinics = [
  'Riverbend Family Medicine',
  'Northgate Internal Medicine',
  'Cedar Hollow Pediatrics',
  'Lakeshore Primary Care',
  'Summit Valley Health',
  'Harborview Medical Group',
  'Willow Creek Clinic',
  'Pinecrest Community Health',
];
export const specialties = [
  'Cardiology',
  'Dermatology',
  'Gastroenterology',
  'Neurology',
  'Orthopedics',
  'Endocrinology',
  'Pulmonology',
  'Rheumatology',
  'Urology',
  'Ophthalmology',
];
export const payers = [
  'Bluewater Health Plan',
  'Meridian Mutual Insurance',
  'Crestline Health',
  'Northstar Benefits',
  'Evergreen Care Plan',
  'Keystone Health Partners',
];

/** A date without time. */
export interface Day {
  readonly year: number;
  readonly month: number;
  readonly day: number;
}
export const iso = (d: Day): string =>
  `${d.year}-${String(d.month).padStart(2, '0')}-${String(d.day).padStart(2, '0')}`;

const monthNames = [
  'January',
  'February',
  'March',
  'April',
  'May',
  'June',
  'July',
  'August',
  'September',
  'October',
  'November',
  'December',
];
/** The date as a clinic writes it, in one of three styles. */
export function written(d: Day, style: number): string {
  switch (style % 3) {
    case 0:
      return `${String(d.month).padStart(2, '0')}/${String(d.day).padStart(2, '0')}/${d.year}`;
    case 1:
      return `${monthNames[d.month - 1] ?? ''} ${d.day}, ${d.year}`;
    default:
      return iso(d);
  }
}

export function randomDay(rng: Rng, fromYear: number, toYear: number): Day {
  return { year: rng.int(fromYear, toYear), month: rng.int(1, 12), day: rng.int(1, 28) };
}

/** An NPI: 9 random digits and the Luhn check digit over the `80840` prefix (CMS's rule). */
export function npi(rng: Rng): string {
  const base = String(rng.int(1, 2)) + rng.digits(8);
  return base + npiCheckDigit(base);
}
export function npiCheckDigit(nine: string): string {
  const digits = `80840${nine}`.split('').map(Number);
  let sum = 0;
  for (let i = digits.length - 1, double = true; i >= 0; i--, double = !double) {
    let d = digits[i] ?? 0;
    if (double) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return String((10 - (sum % 10)) % 10);
}

export interface Patient {
  readonly given: string;
  readonly family: string;
  readonly birthDate: Day;
  readonly mrn: string;
  readonly memberId: string;
  readonly payer: string;
  readonly phone: string;
}
export interface Clinician {
  readonly given: string;
  readonly family: string;
  readonly npi: string;
  readonly clinic: string;
  readonly specialty: string;
  readonly fax: string;
  readonly phone: string;
}

const phone = (rng: Rng): string => `(555) ${rng.int(200, 989)}-${rng.digits(4)}`;

export function patient(rng: Rng): Patient {
  const letters = 'ABCDEFGHJKLMNPRSTUVWXYZ';
  const prefix = Array.from({ length: 3 }, () => letters[rng.int(0, letters.length - 1)]).join('');
  return {
    given: rng.pick(givenNames),
    family: rng.pick(familyNames),
    birthDate: randomDay(rng, 1938, 2019),
    mrn: rng.digits(rng.int(7, 8)),
    memberId: `${prefix}${rng.digits(9)}`,
    payer: rng.pick(payers),
    phone: phone(rng),
  };
}

export function clinician(rng: Rng): Clinician {
  return {
    given: rng.pick(clinicianGivens),
    family: rng.pick(clinicianFamilies),
    npi: npi(rng),
    clinic: rng.pick(clinics),
    specialty: rng.pick(specialties),
    fax: phone(rng),
    phone: phone(rng),
  };
}
