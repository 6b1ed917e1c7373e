// Agent routes: httpRoute with the authorizer's claims required, handing the handler the staff member.
// The role table itself is checked by each use case, before it reads anything.
import type { z } from 'zod';
import { Unauthorized } from '#domain/errors';
import type { StaffMember } from '#domain/staff-permissions';
import type { Dependencies } from '#use-cases/ports';
import {
  type ApiHandler,
  httpRoute,
  type RouteRequest,
  type RouteResult,
  type RouteSpec,
} from './http-route.ts';

type Schema = z.ZodType;

export function staffRoute<
  B extends Schema | undefined = undefined,
  P extends Schema | undefined = undefined,
  Q extends Schema | undefined = undefined,
>(
  spec: Omit<RouteSpec<B, P, Q>, 'auth'>,
  run: (request: RouteRequest<B, P, Q>, staff: StaffMember, deps: Dependencies) => Promise<RouteResult>,
): ApiHandler {
  return httpRoute<B, P, Q>({ ...spec, auth: 'staff' }, async (request, deps) => {
    if (!request.staff) throw new Unauthorized('Missing or invalid credentials');
    return run(request, request.staff, deps);
  });
}
