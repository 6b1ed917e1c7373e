import { customerRoutes } from '#events/customer-api';
import { httpRoute } from '../middleware/http-route.ts';

export const handler = httpRoute(customerRoutes.health, [], async () => ({
  body: { status: 'ok' as const },
}));
