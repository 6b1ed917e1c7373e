// How every function is bundled, declared once: the stack hands it to NodejsFunction, and the cold-start
// benchmark (`test/bench/cold-start.ts`) hands the same settings to esbuild. No CDK import, so the
// benchmark can read it without loading the CDK.
import path from 'node:path';

/** Load ESM bundles that still `require()` CommonJS dependencies. */
export const esmRequireBanner =
  "import { createRequire } from 'module'; const require = createRequire(import.meta.url);";

export const functionBundling = {
  format: 'esm',
  platform: 'node',
  target: 'node24',
  minify: true,
  /**
   * A separate `.map` file beside the bundle, in every deployed asset, but not loaded by default: Node with
   * `--enable-source-maps` takes longer to start and to throw. To read a stack with source lines, set the
   * function's `NODE_OPTIONS` to `--enable-source-maps` (README, "Deploying to AWS").
   */
  sourceMap: true,
  mainFields: ['module', 'main'],
  banner: esmRequireBanner,
  // Ship the SDK versions the tests ran against rather than whatever the runtime carries: nothing external.
  bundleAwsSDK: true,
  externalModules: [],
  /**
   * Modules replaced in every bundle, by files of this project (paths from the project root). The SDK's
   * default credential chain gives way to the environment and container providers only
   * (shared/adapters/lambda-credentials.ts): Lambda puts the role's credentials in the environment, and
   * the rest of the chain (SSO, ini files, processes, web identity, instance metadata, the STS and SSO
   * clients) is about 125 KB of every bundle that never runs there. The DynamoDB client's
   * endpoint-discovery cache takes a Map-based LRU (shared/adapters/endpoint-lru.ts) instead of
   * mnemonist's, 7 KB of every bundle.
   */
  alias: {
    '@aws-sdk/credential-provider-node': 'shared/adapters/lambda-credentials.ts',
    'mnemonist/lru-cache': 'shared/adapters/endpoint-lru.ts',
  },
  /** What the deployed functions start Node with (NODE_OPTIONS): nothing by default. */
  nodeOptions: [] as readonly string[],
} as const;

const projectRoot = path.resolve(import.meta.dirname, '../..');

/** Each alias as esbuild takes it: an absolute path, which resolves the same from any working directory. */
export function aliasesOf(bundling: typeof functionBundling): Record<string, string> {
  return Object.fromEntries(
    Object.entries(bundling.alias).map(([module, file]) => [module, path.join(projectRoot, file)]),
  );
}

/** The same settings as esbuild build options (what NodejsFunction passes to esbuild for them). */
export function esbuildOptionsOf(bundling: typeof functionBundling) {
  return {
    bundle: true,
    format: bundling.format,
    platform: bundling.platform,
    target: bundling.target,
    minify: bundling.minify,
    sourcemap: bundling.sourceMap,
    mainFields: [...bundling.mainFields],
    banner: { js: bundling.banner },
    external: [...bundling.externalModules],
    alias: aliasesOf(bundling),
  };
}
