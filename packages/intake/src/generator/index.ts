/**
 * @module The generator of synthetic clinic documents (issue 19's proof and the classifier's
 * training data): seeded, every document type, 20 % incomplete, rendered to PDF and degraded to fax.
 */
export { generateFiles, separatorBarcode, documentTypeBarcodePrefix } from './generate-set.js';
export type { GenerateOptions, GeneratedFile } from './generate-set.js';
export { renderPdf } from './render.js';
export type { RenderOptions } from './render.js';
export { degradeToFax, faxSkew } from './degrade.js';
export type { DegradeOptions } from './degrade.js';
export { planText } from './layout.js';
export type { DocumentTruth, FileTruth, PagePlan, Block } from './layout.js';
export { Rng } from './random.js';
export { consultNoteFax } from './referral-reply.js';
export type { ConsultNoteFaxInput } from './referral-reply.js';
