// How every function is bundled, declared once: the stack hands it to NodejsFunction, and the cold-start
// benchmark (`test/bench/cold-start.ts`) hands the same settings to esbuild. No CDK import, so the
// benchmark can read it without loading the CDK.

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
  /** What the deployed functions start Node with (NODE_OPTIONS): nothing by default. */
  nodeOptions: [] as readonly string[],
} as const;

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
  };
}
