// npm run -s openapi > openapi.json — the OpenAPI document of exactly the routes the catalogue deploys.
import { buildOpenApiDocument } from '#events/openapi';
import { functions } from '../catalogue.ts';

export function deployedRouteKeys(): string[] {
  return functions.flatMap((fn) =>
    fn.trigger.kind === 'http' ? [`${fn.trigger.method} ${fn.trigger.path}`] : [],
  );
}

if (import.meta.main) {
  process.stdout.write(`${JSON.stringify(buildOpenApiDocument(deployedRouteKeys()), null, 2)}\n`);
}
