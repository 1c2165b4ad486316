/** @module Export of the whole graph: JSON, CSV and a FHIR R4 Bundle. */
export { GraphExport, exportFormats } from './graph-export.js';
export type { ExportFormat, ExportFile, GraphExportResult } from './graph-export.js';
export { toFhirBundle, STEWARD_RELATIONSHIP_EXTENSION } from './fhir-bundle.js';
export type { FhirBundle } from './fhir-bundle.js';
