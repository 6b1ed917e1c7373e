import { describe, expect, it } from 'vitest';
import { allRouteContracts, buildOpenApiDocument } from '#events/openapi';
import { deployedRouteKeys } from '#infra/tools/print-openapi';

describe('the OpenAPI document', () => {
  it('describes exactly the routes the catalogue deploys', () => {
    expect(Object.keys(allRouteContracts()).sort()).toEqual([...deployedRouteKeys()].sort());
  });

  it('has every route of API.md', () => {
    const document = buildOpenApiDocument(deployedRouteKeys());
    const operations = Object.entries(document.paths ?? {}).flatMap(([path, item]) =>
      Object.keys(item ?? {}).map((method) => `${method.toUpperCase()} ${path}`),
    );
    expect(operations).toEqual(
      expect.arrayContaining([
        'POST /cases',
        'GET /cases/{caseId}',
        'POST /cases/{caseId}/messages',
        'POST /cases/{caseId}/feedback',
        'POST /cases/{caseId}/appeal',
        'GET /health',
        'GET /agent/cases',
        'GET /agent/cases/{caseId}',
        'POST /agent/cases/{caseId}/assign',
        'POST /agent/cases/{caseId}/reply',
        'POST /agent/cases/{caseId}/plan',
        'POST /agent/cases/{caseId}/status',
        'POST /agent/cases/{caseId}/escalate',
        'POST /agent/cases/{caseId}/resolve',
        'POST /agent/cases/{caseId}/close',
        'GET /agent/reports/summary',
      ]),
    );
  });

  it('gives every operation the error shape of API.md and marks agent routes as needing a JWT', () => {
    const document = buildOpenApiDocument(deployedRouteKeys());
    for (const [path, item] of Object.entries(document.paths ?? {})) {
      for (const [method, operation] of Object.entries(item ?? {})) {
        const responses = (
          operation as { responses: Record<string, { content?: Record<string, { schema: unknown }> }> }
        ).responses;
        expect(responses['500']?.content?.['application/json']?.schema, `${method} ${path}`).toEqual({
          $ref: '#/components/schemas/Error',
        });
        const secured = Boolean((operation as { security?: unknown[] }).security?.length);
        expect(secured, `${method} ${path}`).toBe(path.startsWith('/agent/'));
      }
    }
  });

  it('declares the path parameters each templated path names', () => {
    const document = buildOpenApiDocument(deployedRouteKeys());
    for (const [path, item] of Object.entries(document.paths ?? {})) {
      const names = [...path.matchAll(/\{(\w+)\}/g)].map((match) => match[1]);
      for (const operation of Object.values(item ?? {})) {
        const declared = (
          (operation as { parameters?: Array<{ in: string; name: string }> }).parameters ?? []
        )
          .filter((parameter) => parameter.in === 'path')
          .map((parameter) => parameter.name);
        expect(declared.sort()).toEqual(names.sort());
      }
    }
  });
});
