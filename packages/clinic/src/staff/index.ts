/** @module Staff: users by name, the practitioners they are, their sites, pools and leads. */
export {
  isUuid,
  poolName,
  staffProblems,
  type Pool,
  type PoolMembership,
  type StaffInput,
  type StaffMember,
  type StaffName,
} from './staff-model.js';
export { StaffService, type StaffAudit, type StaffServiceDeps } from './staff-service.js';
export {
  OnCallRotas,
  type OnCallRota,
  type OnCallRotasDeps,
  type OnCallShift,
  type OnCallShiftInput,
} from './on-call-rota.js';
