/**
 * @module The shapes of the contacts API's answers the screen reads (the contract declares them
 * as JSON objects; these mirror `ContactView` and `ReconciliationReport` of @steward/relationships).
 */

export interface ContactNote {
  readonly id: string;
  readonly text: string;
  readonly author: string;
  readonly authoredAt: string;
  readonly provenance: { readonly system: string };
}

export interface ContactRelationship {
  readonly id: string;
  readonly type: string;
  /** Named from the shown party's side ("Legal guardian of", "Patient of"). */
  readonly label: string;
  readonly direction: 'outgoing' | 'incoming';
  readonly other: { readonly id: string; readonly kind: 'person' | 'organization'; readonly name: string };
  readonly validFrom?: string;
  readonly validTo?: string;
  readonly active: boolean;
  readonly permissions: readonly string[];
  readonly notes: readonly ContactNote[];
}

export interface ContactDetail {
  readonly party: {
    readonly id: string;
    readonly site: string;
    readonly kind: 'person' | 'organization';
    readonly name: string;
    readonly data: {
      readonly birthDate?: string;
      readonly telecom: readonly { readonly system: 'phone' | 'email'; readonly value: string }[];
      readonly address?: string;
      readonly provenance: readonly { readonly system: string }[];
    };
  };
  readonly relationships: readonly ContactRelationship[];
  readonly notes: readonly ContactNote[];
}

export interface KindCounts {
  readonly in: number;
  readonly created: number;
  readonly merged: number;
  readonly updated: number;
  readonly unchanged: number;
  readonly notImported: number;
}

export interface ImportReport {
  readonly runId: string;
  readonly site: string;
  readonly sourceSystem: string;
  readonly preview: boolean;
  readonly resumed: boolean;
  readonly contacts: KindCounts;
  readonly relationships: KindCounts;
  readonly notes: KindCounts;
  readonly notImported: readonly {
    readonly kind: 'contact' | 'relationship' | 'note';
    readonly file: string;
    readonly row: number;
    readonly field?: string;
    readonly reason: string;
  }[];
  readonly reviews: readonly { readonly partyId: string; readonly candidateId: string; readonly reason: string }[];
  readonly hashCheck: { readonly checked: number; readonly mismatched: readonly unknown[] };
  readonly reconciled: boolean;
}

/** Authority a relationship carries, in words (codes from @steward/relationships' authorityPermissions). */
export const permissionLabels: Readonly<Record<string, string>> = {
  'messages.receive': 'receives messages',
  'records.read': 'may read records',
  'appointments.manage': 'manages appointments',
  'billing.receive': 'receives bills',
  'consent.give': 'gives consent',
};

export function authorityWords(permissions: readonly string[]): string {
  return permissions.length === 0 ? 'no authority' : permissions.map((p) => permissionLabels[p] ?? p).join(', ');
}
