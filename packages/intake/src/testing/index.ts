/**
 * @module Intake's test and proof helpers: a scripted `DocumentReader` (a stand-in for the port),
 * and the document generator, the local tools runner and the classifier's trainer for tests,
 * scripts and benchmarks (not for the server).
 */
export { ScriptedReader, tinyPng } from './scripted-reader.js';
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
