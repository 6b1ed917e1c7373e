import { httpRoute } from '../middleware/http-route.ts';

export const handler = httpRoute({}, async () => ({ body: { status: 'ok' } }));
