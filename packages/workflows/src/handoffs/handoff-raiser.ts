/**
 * @module The host's side of `handoff.raise` and `handoff.close`: a workflow's request made a
 * handoff through the service, as the workflows' account. An `owner` is resolved here, outside
 * decide (it reads the clinic model): the staff member who is that practitioner at the site, else the
 * site's owner pool (when it has members), else `fallbackRole` (default `coordinator`) at the site.
 */
import { roles, type RequestContext, type Role } from '@steward/core';
import type { RaisedHandoff, RaiseRequest } from './handoff-effects.js';
import type { HandoffTarget } from './handoff-model.js';
import type { HandoffService } from './handoff-service.js';
import type { HandoffEscalations } from './handoff-package.js';

export interface HandoffRaiserDeps {
  readonly service: Pick<HandoffService, 'create' | 'closeRaised' | 'escalate' | 'expire'>;
  /** The workflows' account (automation: handoff.create). */
  readonly ctx: () => Promise<RequestContext>;
  /** The staff user who is this practitioner (EHR reference or identifier) at the site, if any. */
  readonly ownerAt?: (site: string, owner: NonNullable<RaiseRequest['owner']>) => Promise<string | undefined>;
  /** The site's owner pool when it has members at the site. */
  readonly ownerPoolOf?: (site: string) => Promise<string | undefined>;
  /** The Steward patient of a journal event. */
  readonly patientOf?: (eventId: string) => Promise<string | undefined>;
}

export function handoffRaiser(deps: HandoffRaiserDeps): HandoffEscalations {
  return {
    escalate: async (input, key) => (await deps.service.escalate(await deps.ctx(), input, key)) as never,
    expire: async (id) => await deps.service.expire(await deps.ctx(), id),
    raise: async (input) => {
      const { to, owner } = await targetOf(deps, input);
      const patientId =
        input.patientId ??
        (input.patientEventId !== undefined ? await deps.patientOf?.(input.patientEventId) : undefined);
      const created = await deps.service.create(await deps.ctx(), {
        site: input.site,
        kind: input.kind,
        subject: input.subject,
        to,
        ask: input.ask,
        ...(input.due !== undefined ? { due: input.due } : {}),
        ...(patientId !== undefined ? { patientId } : {}),
        key: input.key,
        ...(input.notify !== undefined ? { notify: input.notify } : {}),
      });
      // Raised before for this key: its own target stands (a re-run must not say otherwise).
      return {
        handoffId: created.id,
        to: {
          kind: created.to.kind === 'user' || created.to.kind === 'pool' ? created.to.kind : 'role',
          ref: created.to.id,
        },
        owner: owner && created.to.kind === 'user' && created.to.id === (to as { ref: string }).ref,
      } satisfies RaisedHandoff;
    },
    close: async (key, reason) => deps.service.closeRaised(await deps.ctx(), key, reason),
  };
}

async function targetOf(deps: HandoffRaiserDeps, input: RaiseRequest): Promise<{ to: HandoffTarget; owner: boolean }> {
  if (input.to !== undefined) return { to: input.to as HandoffTarget, owner: false };
  if (input.owner !== undefined) {
    const user = await deps.ownerAt?.(input.site, input.owner);
    if (user !== undefined) return { to: { kind: 'user', ref: user }, owner: true };
  }
  const pool = await deps.ownerPoolOf?.(input.site);
  if (pool !== undefined) return { to: { kind: 'pool', ref: pool }, owner: false };
  const role = (roles as readonly string[]).includes(input.fallbackRole ?? '')
    ? (input.fallbackRole as Role)
    : 'coordinator';
  return { to: { kind: 'role', ref: role }, owner: false };
}
