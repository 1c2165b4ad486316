/** @module A patient named on a card or row, as a link to their page (`#/patients/<id>`). */
import type { ReactNode } from 'react';
import { href } from '../router.js';
import { patientLine, type PatientLabel } from './patient-label.js';

export function PatientLink(props: { readonly label: PatientLabel | undefined }): ReactNode {
  if (props.label === undefined) return <span className="muted">patient not known yet</span>;
  return (
    <a href={href('patients', props.label.id)} className="patient-link">
      {patientLine(props.label)}
    </a>
  );
}
