// npm run -s openapi > openapi.json — the OpenAPI document of exactly the routes the catalogue deploys.
import { buildOpenApiDocument } from '#events/openapi';
import { functions } from '../catalogue.ts';
import { parseCli } from './cli.ts';

export function deployedRouteKeys(): string[] {
  return functions.flatMap((fn) =>
    fn.trigger.kind === 'http' ? [`${fn.trigger.method} ${fn.trigger.path}`] : [],
  );
}

if (import.meta.main) {
  parseCli({
    help: `Usage: npm run -s openapi [> openapi.json]

Prints the OpenAPI 3.1 document of exactly the routes the catalogue deploys, generated from the zod
schemas the handlers validate with.`,
    options: {},
  });
  process.stdout.write(`${JSON.stringify(buildOpenApiDocument(deployedRouteKeys()), null, 2)}\n`);
}
