import { healthRoute } from '#events/health-api';
import { httpRoute } from '../middleware/http-route.ts';

export const handler = httpRoute(healthRoute, [], async () => ({
  body: { status: 'ok' as const },
}));
