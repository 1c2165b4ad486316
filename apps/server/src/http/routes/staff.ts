/**
 * @module /staff and /pools: the clinic's staff by name (staff.read, every role: all of them, or
 * those at the caller's sites) and changes to a user's staff record (staff.manage, audited), each
 * call one governed method of the staff service.
 */
import type { FastifyInstance } from 'fastify';
import type { Kernel } from '../../kernel.js';
import { contextOf } from '../authenticate.js';
import { errors } from '../contract/common.js';
import {
  Pool,
  PoolList,
  PoolParams,
  SetStaffBody,
  StaffList,
  StaffMember,
  StaffParams,
  StaffQuery,
} from '../contract/staff.js';
import { typed } from '../typed.js';

export function staffRoutes(app: FastifyInstance, kernel: Pick<Kernel, 'staff'>): void {
  const api = typed(app);
  api.get(
    '/staff',
    {
      schema: {
        tags: ['staff'],
        summary: "Staff by name, with their sites, pools and lead (at the caller's sites; site narrows it)",
        querystring: StaffQuery,
        response: { 200: StaffList, ...errors },
      },
    },
    async (request) => ({
      items: await kernel.staff.list(
        contextOf(request),
        request.query.site === undefined ? {} : { site: request.query.site },
      ),
    }),
  );
  api.get(
    '/staff/:user',
    {
      schema: {
        tags: ['staff'],
        summary: 'One staff member by user id or username',
        params: StaffParams,
        response: { 200: StaffMember, ...errors },
      },
    },
    async (request) => kernel.staff.show(contextOf(request), request.params.user),
  );
  api.put(
    '/staff/:user',
    {
      schema: {
        tags: ['staff'],
        summary:
          "Create a user's staff record (displayName required) or change the fields given; a lead cycle, an unknown lead or a pool at another site is refused",
        params: StaffParams,
        body: SetStaffBody,
        response: { 200: StaffMember, ...errors },
      },
    },
    async (request) => {
      const { expectedVersion, ...input } = request.body;
      return kernel.staff.set(contextOf(request), request.params.user, input, expectedVersion);
    },
  );
  api.get(
    '/pools',
    {
      schema: {
        tags: ['staff'],
        summary: 'Pools (a named group at a site) with their members by name',
        querystring: StaffQuery,
        response: { 200: PoolList, ...errors },
      },
    },
    async (request) => ({
      items: await kernel.staff.pools(
        contextOf(request),
        request.query.site === undefined ? {} : { site: request.query.site },
      ),
    }),
  );
  api.get(
    '/pools/:pool',
    {
      schema: {
        tags: ['staff'],
        summary: 'One pool and its members',
        params: PoolParams,
        response: { 200: Pool, ...errors },
      },
    },
    async (request) => kernel.staff.pool(contextOf(request), request.params.pool),
  );
}
