// One Vite build for the three pages of API.md's "Pages": the customer's case page, the agent workspace
// and the API reference, plus `openapi.json`, generated from the same zod schemas the handlers use.
import { fileURLToPath } from 'node:url';
import preact from '@preact/preset-vite';
import { defineConfig, type Plugin } from 'vite';
import { buildOpenApiDocument } from '../events/openapi.ts';
import { deployedRouteKeys } from '../infra/tools/print-openapi.ts';

const page = (name: string) => fileURLToPath(new URL(`./${name}.html`, import.meta.url));

function openApiDocument(): Plugin {
  return {
    name: 'parcel-care-openapi',
    generateBundle() {
      this.emitFile({
        type: 'asset',
        fileName: 'openapi.json',
        source: JSON.stringify(buildOpenApiDocument(deployedRouteKeys()), null, 2),
      });
    },
  };
}

export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  base: '/',
  plugins: [preact(), openApiDocument()],
  logLevel: 'warn',
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    chunkSizeWarningLimit: 2000,
    rolldownOptions: {
      // The build is a few seconds; no timing report in the output of npm start and npm test.
      checks: { bundlerTimings: false },
      input: {
        index: page('index'),
        case: page('case'),
        workspace: page('workspace'),
        docs: page('docs'),
      },
    },
  },
});
