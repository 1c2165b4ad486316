/**
 * @module The worker thread of `Hl7DecodePool`: decodes each message it is sent with the options
 * it was started with, and posts the plain result back under the request's id.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { decodeHl7, type Hl7DecodeOptions } from './hl7-decode.js';

const options = workerData as Hl7DecodeOptions;
parentPort?.on('message', (m: { readonly id: number; readonly raw: string }) => {
  try {
    parentPort?.postMessage({ id: m.id, ok: true, decoded: decodeHl7(m.raw, options) });
  } catch {
    // decodeHl7 does not throw; if it ever does, the intake decodes inline and says why there.
    parentPort?.postMessage({ id: m.id, ok: false });
  }
});
