/** @module Who is acting: every request and automation run carries one, authenticated. */

export const roles = [
  'admin',
  'compliance_officer',
  'coordinator',
  'front_desk',
  'clinician_reviewer',
  'automation',
  /** An EHR interface: stores what the EHR sends, and writes back what review approved. */
  'integration',
  /**
   * An outside AI or automation service (issue 18): reads through the FHIR facade, subscribes to
   * events and drafts proposals for review; it never approves, never writes the record itself.
   */
  'agent',
] as const;
export type Role = (typeof roles)[number];

/**
 * HL7 v3 PurposeOfUse codes Steward uses (http://terminology.hl7.org/CodeSystem/v3-ActReason).
 * ETREAT is emergency treatment, the purpose of break-glass access.
 */
export const purposesOfUse = ['TREAT', 'ETREAT', 'HOPERAT', 'HPAYMT', 'HSYSADMIN', 'HCOMPL'] as const;
export type PurposeOfUse = (typeof purposesOfUse)[number];

export type ActorKind = 'user' | 'service';

export interface Actor {
  readonly kind: ActorKind;
  readonly id: string;
  /** A display handle for audit readers: a username or a service account name. Not PHI. */
  readonly name: string;
  /** How the actor proved who it is, recorded in every audit entry. */
  readonly authMethod: 'password+totp' | 'password' | 'api-token' | 'session' | 'local-operator';
  /** Token scopes, for service actors; undefined for users (their grants decide). */
  readonly scopes?: readonly string[];
  readonly sessionId?: string;
  readonly tokenId?: string;
}

/** Where a request came from, recorded in audit (ASTM E2147 "source"). */
export interface RequestContext {
  readonly actor: Actor;
  readonly purposeOfUse?: PurposeOfUse;
  readonly workflow?: string;
  readonly sourceAddress?: string;
  readonly requestId?: string;
}
