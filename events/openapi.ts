// The OpenAPI document, generated from the same zod schemas the handlers validate with.
// `npm run -s openapi > openapi.json` prints it; a test checks it covers exactly the catalogue's routes.
import { z } from 'zod';
import { createDocument, type ZodOpenApiOperationObject, type ZodOpenApiPathsObject } from 'zod-openapi';
import { agentRouteContracts } from './agent-api.ts';
import { errorResponseSchema } from './common.ts';
import {
  appealRequestSchema,
  caseIdPathSchema,
  customerActionResponseSchema,
  customerCaseViewSchema,
  customerMessageRequestSchema,
  feedbackRequestSchema,
  healthResponseSchema,
  submitCaseRequestSchema,
  submitCaseResponseSchema,
} from './customer-api.ts';
import type { RouteContract } from './route-contract.ts';

type Method = 'get' | 'post';

const json = (schema: z.ZodType) => ({ content: { 'application/json': { schema } } });
const caseTokenHeader = z.object({
  'x-case-token': z
    .string()
    .optional()
    .meta({ description: 'The access token returned when the case was submitted' }),
});
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

const customerRouteContracts: Record<string, RouteContract> = {
  'GET /health': {
    summary: 'Liveness',
    auth: 'none',
    success: { status: 200, schema: healthResponseSchema, description: 'The API answers' },
    errors: [],
  },
  'POST /cases': {
    summary: 'Submit a case',
    auth: 'none',
    body: submitCaseRequestSchema,
    success: { status: 201, schema: submitCaseResponseSchema, description: 'The case was registered' },
    errors: [400, 413, 415, 422, 429],
  },
  'GET /cases/{caseId}': {
    summary: 'The case as its customer sees it',
    auth: 'case-token',
    path: caseIdPathSchema,
    query: z.object({ token: z.string().optional() }),
    success: { status: 200, schema: customerCaseViewSchema, description: 'The case' },
    errors: [400, 404],
  },
  'POST /cases/{caseId}/messages': {
    summary: 'The customer adds information',
    auth: 'case-token',
    path: caseIdPathSchema,
    body: customerMessageRequestSchema,
    success: {
      status: 201,
      schema: customerActionResponseSchema,
      description: 'Added to the timeline; a case waiting for the customer resumes',
    },
    errors: [400, 404, 409, 413, 415],
  },
  'POST /cases/{caseId}/feedback': {
    summary: 'Answer the satisfaction survey',
    auth: 'case-token',
    path: caseIdPathSchema,
    body: feedbackRequestSchema,
    success: { status: 201, schema: customerActionResponseSchema, description: 'Recorded' },
    errors: [400, 404, 409, 413, 415],
  },
  'POST /cases/{caseId}/appeal': {
    summary: 'Disagree with the result',
    auth: 'case-token',
    path: caseIdPathSchema,
    body: appealRequestSchema,
    success: {
      status: 201,
      schema: customerActionResponseSchema,
      description: 'The case is appealed and goes to a supervisor',
    },
    errors: [400, 404, 409, 413, 415],
  },
};

const routeContracts: Readonly<Record<string, RouteContract>> = {
  ...customerRouteContracts,
  ...agentRouteContracts,
};

export function allRouteContracts(): Readonly<Record<string, RouteContract>> {
  return routeContracts;
}

export function buildOpenApiDocument(routeKeys: readonly string[]) {
  const paths: ZodOpenApiPathsObject = {};
  for (const routeKey of routeKeys) {
    const contract = routeContracts[routeKey];
    if (!contract) throw new Error(`No contract for ${routeKey}`);
    const [method, path] = routeKey.split(' ') as [string, string];
    const operation: ZodOpenApiOperationObject = {
      summary: contract.summary,
      ...(contract.auth === 'jwt' ? { security: [{ cognito: [] }] } : {}),
      requestParams: {
        ...(contract.path ? { path: contract.path } : {}),
        ...(contract.query ? { query: contract.query } : {}),
        ...(contract.auth === 'case-token' ? { header: caseTokenHeader } : {}),
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
    paths[path] = { ...paths[path], [method.toLowerCase() as Method]: operation };
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
