/**
 * @module The shared shapes under the names routes have always imported them by. They are now
 * declared once in `contract/common.ts` (TypeBox): JSON schemas and TypeScript types at once.
 */
export {
  uuidPattern,
  SiteCode as siteCode,
  ScopeCode as scopeCode,
  IdParams as idParams,
  ErrorBody as errorResponse,
  errors,
} from './contract/common.js';
