/**
 * @module Intake's test and proof helpers: a scripted `DocumentReader` (a stand-in for the port),
 * waiting until a reading worker has read an arrival's file (`untilRead`),
 * and the document generator, the local tools runner and the classifier's trainer for tests,
 * scripts and benchmarks (not for the server).
 */
import { resolveTool, toolPackages, type ToolName } from '../reading/tools.js';
export { ScriptedReader, tinyPng } from './scripted-reader.js';
export { untilRead } from './until-read.js';
export { decodePgm, unreadFooter } from '../reading/page-image.js';
export {
  generateFiles,
  separatorBarcode,
  documentTypeBarcodePrefix,
  renderPdf,
  degradeToFax,
  faxSkew,
  planText,
  Rng,
} from '../generator/index.js';
export type {
  GenerateOptions,
  GeneratedFile,
  DocumentTruth,
  FileTruth,
  PagePlan,
  Block,
  DegradeOptions,
} from '../generator/index.js';
export { Tools } from '../reading/tools.js';
export { LocalDocumentReader } from '../reading/local-document-reader.js';
export { trainClassifier } from '../sorting/train.js';

/**
 * Why a test that reads with the local programs cannot run on this machine (one is not installed),
 * or false. With STEWARD_REQUIRE_INTAKE_TOOLS=1 (CI) a missing program fails the run instead of
 * skipping, as the browser and PostgreSQL tests do.
 */
export function localToolsSkip(env: NodeJS.ProcessEnv = process.env): string | false {
  const missing = (Object.keys(toolPackages) as ToolName[]).filter((name) => {
    try {
      resolveTool(name);
      return false;
    } catch {
      return true;
    }
  });
  if (missing.length === 0) return false;
  const reason = `intake's reading programs are not installed (${[...new Set(missing.map((m) => toolPackages[m]))].join(', ')}): apt-get install tesseract-ocr tesseract-ocr-eng poppler-utils zbar-tools imagemagick`;
  if (env['STEWARD_REQUIRE_INTAKE_TOOLS'] === '1') throw new Error(reason);
  return reason;
}
