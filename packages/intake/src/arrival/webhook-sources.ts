/**
 * @module A fax or e-mail provider's webhook as an intake source. An administrator registers a
 * source (`intake.manage` at its site) naming the provider's destination in the egress registry
 * (the provider holds a BAA and is registered like every outside party) and gets its shared secret
 * once; the secret is sealed at rest. A delivery is accepted only with a valid Standard Webhooks
 * signature (see webhook-signature.ts), and then arrives as the source.
 *
 * Expected payload (JSON, `content-type: application/json`):
 *   { "messageId": "provider's id", "from": "+15551234567" (optional),
 *     "mediaType": "application/pdf" | "image/tiff" | "image/png" | "image/jpeg",
 *     "data": "<the file, base64>" }
 */
import { NotFoundError, ValidationError, type RequestContext } from '@steward/core';
import { sourceOf } from '@steward/governance';
import { checkArrivingFile, decodeBase64 } from './arrival-file.js';
import { newWebhookSecret, verifyWebhook, type WebhookHeaders } from './webhook-signature.js';
import type { IntakeService } from '../service/intake-service.js';
import type { IntakeDeps } from '../service/intake-deps.js';
import type { ArrivalView } from '../service/intake-views.js';

const sourceName = /^[a-z0-9][a-z0-9-]{0,62}$/;

export class IntakeWebhooks {
  constructor(
    private readonly deps: IntakeDeps,
    private readonly intake: IntakeService,
  ) {}

  /** Registers (or re-keys) a source; the secret is returned once and never shown again. */
  async register(
    ctx: RequestContext,
    input: { name: string; site: string; destination: string },
  ): Promise<{ name: string; site: string; destination: string; secret: string }> {
    const problems: { path: string; message: string }[] = [];
    if (!sourceName.test(input.name)) problems.push({ path: 'name', message: 'lower case letters, digits and -' });
    if (problems.length > 0) throw new ValidationError('invalid webhook source', problems);
    const decision = await this.deps.policy.enforce(ctx, 'intake.manage', { site: input.site });
    const destinations = (await this.deps.egress?.list()) ?? [];
    const destination = destinations.find((d) => d.name === input.destination);
    if (destination === undefined || destination.enabled === false)
      throw new ValidationError('unknown egress destination', [
        {
          path: 'destination',
          message: 'the name of an enabled destination in the egress registry (steward egress add)',
        },
      ]);
    const secret = newWebhookSecret();
    const at = this.deps.clock?.now() ?? new Date();
    await this.deps.audit.transact(
      (tx) => this.intake.rows.upsertWebhookSource(tx, { ...input, secret, by: ctx.actor.id, at }),
      () => [
        {
          actor: ctx.actor,
          event: 'config.changed',
          action: 'U',
          outcome: 'success',
          entity: { kind: 'IntakeWebhookSource', id: input.name },
          site: input.site,
          purposeOfUse: decision.purposeOfUse,
          source: sourceOf(ctx),
          reason: `intake-webhook:${input.destination}`,
        },
      ],
    );
    return { ...input, secret };
  }

  /**
   * One delivery: refused (WEBHOOK_SIGNATURE_INVALID, audited as a denial) unless signed with the
   * source's secret; then received as the source, read and routed like any arrival.
   */
  async receive(name: string, headers: WebhookHeaders, body: Buffer, sourceAddress?: string): Promise<ArrivalView> {
    const source = sourceName.test(name) ? await this.intake.rows.webhookSource(this.deps.db, name) : undefined;
    if (source === undefined || source.disabled_at !== null) throw new NotFoundError('webhook source');
    const ctx = await this.deps.pipeline();
    try {
      verifyWebhook(this.intake.rows.openSecret(source), headers, body, this.deps.clock?.now() ?? new Date());
    } catch (e) {
      await this.deps.audit.append({
        actor: { kind: 'service', id: `webhook:${name}`, name: `webhook:${name}`, authMethod: 'api-token' },
        event: 'access.denied',
        action: 'C',
        outcome: 'denied',
        entity: { kind: 'IntakeWebhookSource', id: name },
        site: source.site,
        ...(sourceAddress !== undefined ? { source: { address: sourceAddress } } : {}),
        reason: 'webhook-signature-invalid',
      });
      throw e;
    }
    const payload = parsePayload(body);
    const file = checkArrivingFile(
      decodeBase64(payload.data, 'data'),
      payload.mediaType,
      `${name}:${payload.messageId}`,
    );
    return this.intake.receive(ctx, {
      site: source.site,
      source: 'webhook',
      file,
      by: { kind: 'webhook', id: name, name: `webhook:${name}` },
    });
  }
}

function parsePayload(body: Buffer): { messageId: string; mediaType?: string; data: string } {
  let v: unknown;
  try {
    v = JSON.parse(body.toString('utf8'));
  } catch {
    throw new ValidationError('the webhook body is not JSON', [{ path: 'body', message: 'a JSON object' }]);
  }
  const o = (v ?? {}) as Record<string, unknown>;
  const problems: { path: string; message: string }[] = [];
  if (typeof o['messageId'] !== 'string' || o['messageId'] === '' || o['messageId'].length > 200)
    problems.push({ path: 'messageId', message: "the provider's message id (1–200 characters)" });
  if (typeof o['data'] !== 'string') problems.push({ path: 'data', message: 'the file, base64' });
  if (o['mediaType'] !== undefined && typeof o['mediaType'] !== 'string')
    problems.push({ path: 'mediaType', message: 'a media type' });
  if (problems.length > 0) throw new ValidationError('invalid webhook payload', problems);
  return {
    messageId: o['messageId'] as string,
    data: o['data'] as string,
    ...(typeof o['mediaType'] === 'string' ? { mediaType: o['mediaType'] } : {}),
  };
}
