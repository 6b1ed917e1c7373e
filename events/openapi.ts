// The OpenAPI document, generated from the route contracts the handlers validate with.
// `npm run -s openapi > openapi.json` prints it; a test checks it covers exactly the catalogue's routes.

import { createDocument, type ZodOpenApiOperationObject, type ZodOpenApiPathsObject } from 'zod-openapi';
import type * as z from '#shared/zod';
import { agentRoutes } from './agent-api.ts';
import { errorResponseSchema } from './common.ts';
import { customerRoutes } from './customer-api.ts';
import {
  caseTokenHeaderSchema,
  caseTokenQuerySchema,
  type RouteContract,
  routeKeyOf,
} from './route-contract.ts';

type Method = 'get' | 'post' | 'put' | 'patch' | 'delete';

const json = (schema: z.ZodMiniType) => ({ content: { 'application/json': { schema } } });
const errorText: Record<number, string> = {
  400: 'validation_error or invalid_json',
  401: 'unauthorized',
  403: 'forbidden',
  404: 'not_found',
  409: 'invalid_transition or conflict',
  413: 'payload_too_large',
  415: 'unsupported_media_type',
  422: 'idempotency_key_reused',
  429: 'rate_limited',
  500: 'internal_error',
};

const routeContracts: Readonly<Record<string, RouteContract>> = Object.fromEntries(
  [...Object.values(customerRoutes), ...Object.values(agentRoutes)].map((contract) => [
    routeKeyOf(contract),
    contract,
  ]),
);

/** Every declared route, by route key (`POST /cases`). */
export function allRouteContracts(): Readonly<Record<string, RouteContract>> {
  return routeContracts;
}

export function buildOpenApiDocument(routeKeys: readonly string[]) {
  const paths: ZodOpenApiPathsObject = {};
  for (const routeKey of routeKeys) {
    const contract = routeContracts[routeKey];
    if (!contract) throw new Error(`No contract for ${routeKey}`);
    const operation: ZodOpenApiOperationObject = {
      summary: contract.summary,
      ...(contract.auth === 'jwt' ? { security: [{ cognito: [] }] } : {}),
      requestParams: {
        ...(contract.params ? { path: contract.params } : {}),
        ...(contract.query ? { query: contract.query } : {}),
        ...(contract.auth === 'case-token'
          ? { query: caseTokenQuerySchema, header: caseTokenHeaderSchema }
          : {}),
      },
      ...(contract.body ? { requestBody: { required: true, ...json(contract.body) } } : {}),
      responses: {
        [String(contract.success.status)]: {
          description: contract.success.description,
          ...(contract.success.schema ? json(contract.success.schema) : {}),
        },
        ...Object.fromEntries(
          [...contract.errors, 500].map((status) => [
            String(status),
            { description: errorText[status] ?? 'error', ...json(errorResponseSchema) },
          ]),
        ),
      },
    };
    paths[contract.path] = { ...paths[contract.path], [contract.method.toLowerCase() as Method]: operation };
  }
  return createDocument({
    openapi: '3.1.0',
    info: {
      title: 'Parcel Care API',
      version: '1.0.0',
      description: 'Customer-service cases for express-delivery companies (API.md).',
    },
    components: {
      securitySchemes: { cognito: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' } },
    },
    paths,
  });
}
