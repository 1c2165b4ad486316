/** @module The EHR section: whether this process runs the EHR connections, MLLP binding, TLS and decode threads, the public URL. */
import { parseSection, type EnvReader } from './env-reader.js';

export interface EhrConfig {
  /** STEWARD_EHR: on (default) runs every registered EHR connection in this process; off runs none. */
  readonly enabled: boolean;
  /** STEWARD_MLLP_HOST: where HL7 v2 MLLP listeners bind (default 127.0.0.1; 0.0.0.0 only with a connection's allow-list). */
  readonly mllpHost: string;
  /** STEWARD_MLLP_TLS_CERT / _KEY (PEM files), optional _CA (then senders need a client certificate): MLLP over TLS for connections that ask for it. */
  readonly mllpTls: { readonly certFile: string; readonly keyFile: string; readonly caFile?: string } | undefined;
  /**
   * STEWARD_PUBLIC_URL: Steward's base URL as EHRs reach it, for FHIR subscription endpoints, and
   * as outside services reach it: the SMART token endpoint's `aud` (ADR 0020).
   * Default: the address the API listens on (loopback when listening on all interfaces).
   */
  readonly publicUrl: string | undefined;
  /**
   * STEWARD_MLLP_DECODE_THREADS: worker threads per MLLP listener that parse and map HL7 off the
   * writer's thread (0..16, default 1; 0 decodes on the main thread).
   */
  readonly mllpDecodeThreads: number;
  /**
   * STEWARD_EHR_STANDBY_MS: on PostgreSQL with several EHR nodes, how often a node that does not
   * own a connection tries to take it over (and an owner checks its lock session). Default 2000.
   */
  readonly standbyMs: number;
}

export function readEhrConfig(r: EnvReader): EhrConfig {
  const mllpTls = r.pair('STEWARD_MLLP_TLS_CERT', 'STEWARD_MLLP_TLS_KEY');
  const mllpCa = r.text('STEWARD_MLLP_TLS_CA');
  const publicUrl = r.text('STEWARD_PUBLIC_URL');
  if (publicUrl !== undefined && !/^https?:\/\/[^/]+/.test(publicUrl))
    r.refuse('STEWARD_PUBLIC_URL', 'must be an http(s) URL');
  return {
    enabled: r.onOff('STEWARD_EHR', true),
    mllpHost: r.text('STEWARD_MLLP_HOST') ?? '127.0.0.1',
    mllpTls:
      mllpTls !== undefined
        ? { certFile: mllpTls[0], keyFile: mllpTls[1], ...(mllpCa !== undefined ? { caFile: mllpCa } : {}) }
        : undefined,
    publicUrl,
    mllpDecodeThreads: r.int('STEWARD_MLLP_DECODE_THREADS', 1, 0, 16),
    standbyMs: r.int('STEWARD_EHR_STANDBY_MS', 2_000, 100, 60_000),
  };
}

export const parseEhrConfig = (env?: NodeJS.ProcessEnv): EhrConfig => parseSection(readEhrConfig, env);
