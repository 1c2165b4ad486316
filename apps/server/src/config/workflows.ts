/**
 * @module The workflows section. Messaging has no settings of its own yet (its channels and quiet
 * hours are per clinic, in the store); it runs with the workflows.
 */
import { parseSection, type EnvReader } from './env-reader.js';

export interface WorkflowsConfig {
  /** STEWARD_WORKFLOWS: on (default) runs workflows (router, worker, applier) here; off for API-only nodes. */
  readonly enabled: boolean;
  /**
   * STEWARD_EVENTS: on (default) runs events out here (the capture filling the outbox and the webhook
   * delivery worker, ADR 0019); off for API-only nodes. The stream and the subscription API answer either way.
   */
  readonly events: boolean;
  /**
   * STEWARD_INTAKE_READING: on (default) runs intake's reading worker here (it reads received files
   * off the arrival's call, leased, so several servers share the work); off for API-only nodes,
   * whose arrivals another server reads.
   */
  readonly intakeReading: boolean;
  /**
   * STEWARD_INTAKE_FOLDERS: watched folders where a fax server or scanner drops documents for intake,
   * as `site=/absolute/dir` pairs separated by commas (`north=/var/spool/fax/north`). Empty: none.
   */
  readonly intakeFolders: readonly { readonly site: string; readonly dir: string }[];
  /**
   * STEWARD_HANDOFF_TASK_MIRROR: the sites (codes, comma-separated, or `*` for all) whose referral
   * handoffs are mirrored to the EHR as FHIR Tasks, through proposals (issue 19). Empty (default): none;
   * the handoffs themselves are raised either way.
   */
  readonly handoffTaskMirror: readonly string[];
}

export function readWorkflowsConfig(r: EnvReader): WorkflowsConfig {
  return {
    enabled: r.onOff('STEWARD_WORKFLOWS', true),
    events: r.onOff('STEWARD_EVENTS', true),
    intakeReading: r.onOff('STEWARD_INTAKE_READING', true),
    intakeFolders: readIntakeFolders(r),
    handoffTaskMirror: readSiteList(r, 'STEWARD_HANDOFF_TASK_MIRROR'),
  };
}

function readSiteList(r: EnvReader, name: string): string[] {
  const raw = r.text(name);
  if (raw === undefined || raw.trim() === '') return [];
  const sites = raw.split(',').map((v) => v.trim());
  if (!sites.every((s) => s === '*' || /^[a-z0-9][a-z0-9._-]{0,63}$/.test(s))) {
    r.refuse(name, 'site codes separated by commas, or *');
    return [];
  }
  return sites;
}

function readIntakeFolders(r: EnvReader): { site: string; dir: string }[] {
  const raw = r.text('STEWARD_INTAKE_FOLDERS');
  if (raw === undefined || raw.trim() === '') return [];
  const folders: { site: string; dir: string }[] = [];
  for (const part of raw.split(',')) {
    const [site = '', dir = ''] = part.split('=', 2).map((v) => v.trim());
    if (!/^[a-z0-9][a-z0-9._-]{0,63}$/.test(site) || !dir.startsWith('/')) {
      r.refuse('STEWARD_INTAKE_FOLDERS', 'site=/absolute/dir pairs separated by commas');
      return [];
    }
    folders.push({ site, dir });
  }
  return folders;
}

export const parseWorkflowsConfig = (env?: NodeJS.ProcessEnv): WorkflowsConfig =>
  parseSection(readWorkflowsConfig, env);
