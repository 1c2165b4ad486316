/** @module The HTTP section: where the API listens, TLS, body and rate limits, trusted proxies. */
import { isIP } from 'node:net';
import { parseSection, type EnvReader } from './env-reader.js';

export interface HttpConfig {
  /** STEWARD_HOST / STEWARD_PORT: where the HTTP API listens. Default 127.0.0.1:8470 */
  readonly host: string;
  readonly port: number;
  /** STEWARD_TLS_CERT / STEWARD_TLS_KEY: PEM files; when both are set the API speaks HTTPS only. */
  readonly tls: { readonly certFile: string; readonly keyFile: string } | undefined;
  /** STEWARD_BODY_LIMIT_BYTES: largest request body accepted. Default 1 MiB */
  readonly bodyLimitBytes: number;
  /** STEWARD_RATE_LIMIT_PER_MINUTE: requests per client address per minute. Default 600 */
  readonly rateLimitPerMinute: number;
  /** STEWARD_LOGIN_RATE_LIMIT_PER_MINUTE: login attempts per address per minute. Default 10 */
  readonly loginRateLimitPerMinute: number;
  /**
   * STEWARD_TRUST_PROXY: off (default), or the reverse proxies whose X-Forwarded-For is believed,
   * as a comma-separated list of addresses, CIDR ranges, or loopback / linklocal / uniquelocal.
   * Only then are rate limits, sign-in locks and audit sources keyed by the client behind the
   * proxy; never trust a proxy that does not overwrite X-Forwarded-For, or clients choose their own address.
   */
  readonly trustProxy: false | readonly string[];
}

export function readHttpConfig(r: EnvReader): HttpConfig {
  const tls = r.pair('STEWARD_TLS_CERT', 'STEWARD_TLS_KEY');
  return {
    host: r.text('STEWARD_HOST') ?? '127.0.0.1',
    port: r.int('STEWARD_PORT', 8470, 0, 65535),
    tls: tls !== undefined ? { certFile: tls[0], keyFile: tls[1] } : undefined,
    bodyLimitBytes: r.int('STEWARD_BODY_LIMIT_BYTES', 1024 * 1024, 1024, 64 * 1024 * 1024),
    rateLimitPerMinute: r.int('STEWARD_RATE_LIMIT_PER_MINUTE', 600, 1, 1_000_000),
    loginRateLimitPerMinute: r.int('STEWARD_LOGIN_RATE_LIMIT_PER_MINUTE', 10, 1, 10_000),
    trustProxy: readTrustProxy(r),
  };
}

export const parseHttpConfig = (env?: NodeJS.ProcessEnv): HttpConfig => parseSection(readHttpConfig, env);

const proxyNames = ['loopback', 'linklocal', 'uniquelocal'];

/** STEWARD_TRUST_PROXY: off, or addresses, CIDR ranges and the names proxy-addr knows. Never "all". */
function readTrustProxy(r: EnvReader): false | readonly string[] {
  const raw = r.text('STEWARD_TRUST_PROXY');
  if (raw === undefined || raw === 'off') return false;
  const entries = raw.split(',').map((e) => e.trim());
  const valid = (e: string): boolean => {
    if (proxyNames.includes(e)) return true;
    const [address, bits, ...rest] = e.split('/');
    const family = isIP(address ?? '');
    if (family === 0 || rest.length > 0) return false;
    if (bits === undefined) return true;
    const n = Number(bits);
    return /^\d{1,3}$/.test(bits) && n <= (family === 4 ? 32 : 128);
  };
  const bad = entries.filter((e) => !valid(e));
  if (bad.length > 0 || entries.length === 0) {
    r.refuse(
      'STEWARD_TRUST_PROXY',
      'off, or a comma-separated list of proxy addresses, CIDR ranges, loopback, linklocal or uniquelocal',
    );
    return false;
  }
  return entries;
}
