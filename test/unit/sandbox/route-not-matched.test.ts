import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import { handler, methodsFor } from '../../../functions/http/route-not-matched.ts';

const request = (method: string, rawPath: string) =>
  ({ rawPath, requestContext: { requestId: 'r-1', http: { method } } }) as unknown as APIGatewayProxyEventV2;

describe('the $default route', () => {
  it('answers an unknown path with 404 not_found in API.md shape', async () => {
    const response = await handler(request('GET', '/nowhere'));
    expect(response.statusCode).toBe(404);
    expect(JSON.parse(response.body ?? '')).toEqual({
      error: { code: 'not_found', message: 'No route GET /nowhere', requestId: 'r-1' },
    });
  });

  it('answers a known path with a wrong method with 405 method_not_allowed and Allow', async () => {
    const response = await handler(request('PUT', '/agent/cases/CS202611230001AB/reply'));
    expect(response.statusCode).toBe(405);
    expect(response.headers?.allow).toBe('POST');
    expect(JSON.parse(response.body ?? '').error).toMatchObject({
      code: 'method_not_allowed',
      requestId: 'r-1',
    });
  });

  it('knows every route of the contract, path parameters included', () => {
    expect(methodsFor('/cases')).toEqual(['POST']);
    expect(methodsFor('/cases/CS1')).toEqual(['GET']);
    expect(methodsFor('/cases/CS1/extra/deep')).toEqual([]);
  });
});
