/**
 * @module The offline toolkit: what the store-opening commands (`steward keys rotate`, `steward
 * audit verify`) need, and nothing else. They run where the server may not (after a restore, on a
 * copy, to rotate keys), so they open the store themselves through the same composition root; each
 * act takes the request context first and decides, acts and audits here, like a governed service.
 * On the embedded store they cannot run while the server runs: the store is locked to one process.
 */
import type { Actor, RequestContext } from '@steward/core';
import {
  rotateKeys,
  verifyAuditLog,
  type Logger,
  type RotateOptions,
  type RotationReport,
  type VerifyOptions,
  type VerifyResult,
} from '@steward/governance';
import { composeKernel, type KernelConfig, type KernelOptions } from './kernel.js';

export interface OfflineToolkit {
  /** The actor a token names (audited like any sign-in by token). */
  authenticate(token: string, source: { readonly address: string }): Promise<Actor>;
  /** `keys.rotate`: a new field data key (and master key with `rotateMaster`), data keys rewrapped; audited. */
  rotateKeys(ctx: RequestContext, options?: RotateOptions): Promise<RotationReport>;
  /** `audit.verify`: the whole chain and its witnesses, checked from the store itself; the check audited. */
  verifyAudit(ctx: RequestContext, options?: Pick<VerifyOptions, 'onProgress'>): Promise<VerifyResult>;
  close(): Promise<void>;
}

export async function openOffline(
  config: KernelConfig,
  logger: Logger,
  options: KernelOptions = {},
): Promise<OfflineToolkit> {
  const { kernel, store } = await composeKernel(config, logger, options);
  return {
    authenticate: (token, source) => kernel.authenticator.authenticate(token, source),
    async rotateKeys(ctx, rotate = {}) {
      await kernel.policy.enforce(ctx, 'keys.rotate');
      const report = await rotateKeys(store.db, store.masterKeys, rotate);
      await kernel.audit.append({
        actor: ctx.actor,
        event: 'keys.rotated',
        action: 'E',
        outcome: 'success',
        reason: `field key ${report.fieldKeyId}; master ${report.masterKeyId}${report.newMasterKey ? ' (new)' : ''}; rewrapped ${report.rewrapped}`,
      });
      return report;
    },
    async verifyAudit(ctx, verify = {}) {
      await kernel.policy.enforce(ctx, 'audit.verify');
      // Entries still queued are written first, so the chain checked ends where the log does.
      await kernel.audit.flush();
      const result = await verifyAuditLog(store.db, { ...verify, witnesses: kernel.audit.witnesses });
      await kernel.audit.append({
        actor: ctx.actor,
        event: 'audit.verified',
        action: 'E',
        outcome: result.ok ? 'success' : 'failure',
      });
      return result;
    },
    close: () => kernel.close(),
  };
}
