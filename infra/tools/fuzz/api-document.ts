// The fuzzer's one view of the API: the OpenAPI document the project generates (`npm run -s openapi`).
// Everything else in the fuzzer reads routes, parameters and body schemas from this document only.

import { buildOpenApiDocument } from '#events/openapi';
import { deployedRouteKeys } from '../print-openapi.ts';

export type JsonSchema = {
  type?: string | string[];
  properties?: Record<string, JsonSchema>;
  required?: string[];
  additionalProperties?: boolean | JsonSchema;
  items?: JsonSchema;
  enum?: unknown[];
  const?: unknown;
  default?: unknown;
  format?: string;
  pattern?: string;
  minLength?: number;
  maxLength?: number;
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: number;
  exclusiveMaximum?: number;
  multipleOf?: number;
  minItems?: number;
  maxItems?: number;
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
  allOf?: JsonSchema[];
  $ref?: string;
};

export interface ApiParameter {
  name: string;
  in: 'path' | 'query' | 'header';
  required: boolean;
  schema: JsonSchema;
}

/** One operation of the document: what the fuzzer aims at. */
export interface ApiOperation {
  /** `POST /cases/{caseId}/messages`, as in the document. */
  key: string;
  method: string;
  template: string;
  /** Agent routes carry a bearer security requirement; customer routes prove ownership with a case token. */
  auth: 'none' | 'case-token' | 'jwt';
  parameters: ApiParameter[];
  body: JsonSchema | undefined;
  /** Error statuses the document declares for the operation. */
  documentedStatuses: number[];
}

export interface ApiDescription {
  operations: ApiOperation[];
  /** Resolves `$ref`s into the document's components. */
  resolve(schema: JsonSchema): JsonSchema;
}

interface OpenApiOperation {
  security?: unknown[];
  parameters?: ApiParameter[];
  requestBody?: { content?: Record<string, { schema?: JsonSchema }> };
  responses?: Record<string, unknown>;
}

export function describeApi(document: unknown = buildOpenApiDocument(deployedRouteKeys())): ApiDescription {
  const doc = document as {
    paths: Record<string, Record<string, OpenApiOperation>>;
    components?: { schemas?: Record<string, JsonSchema> };
  };
  const components = doc.components?.schemas ?? {};
  const resolve = (schema: JsonSchema): JsonSchema => {
    if (!schema.$ref) return schema;
    const name = schema.$ref.replace('#/components/schemas/', '');
    const target = components[name];
    if (!target) throw new Error(`Unresolvable $ref ${schema.$ref}`);
    return resolve(target);
  };
  const operations: ApiOperation[] = [];
  for (const [template, methods] of Object.entries(doc.paths)) {
    for (const [method, operation] of Object.entries(methods)) {
      const parameters = (operation.parameters ?? []).map((parameter) => ({
        ...parameter,
        required: parameter.required ?? false,
        schema: resolve(parameter.schema),
      }));
      const bodySchema = operation.requestBody?.content?.['application/json']?.schema;
      operations.push({
        key: `${method.toUpperCase()} ${template}`,
        method: method.toUpperCase(),
        template,
        auth:
          (operation.security?.length ?? 0) > 0
            ? 'jwt'
            : parameters.some((p) => p.in === 'header' && p.name.toLowerCase() === 'x-case-token')
              ? 'case-token'
              : 'none',
        parameters,
        body: bodySchema ? resolve(bodySchema) : undefined,
        documentedStatuses: Object.keys(operation.responses ?? {}).map(Number),
      });
    }
  }
  return { operations, resolve };
}
