import { build } from 'esbuild';
import path from 'node:path';
import { functions } from './infra/catalogue.ts';
import { esbuildOptionsOf, functionBundling } from './infra/stack/bundling.ts';
for (const name of process.argv.slice(2)) {
  const fn = functions.find((f) => f.name === name)!;
  const r = await build({ ...esbuildOptionsOf(functionBundling), entryPoints: [path.resolve(fn.entry)], write: false, outdir: '/tmp/metaout', metafile: true, logLevel: 'error' });
  const out = Object.values(r.metafile.outputs).find((o) => o.entryPoint)!;
  const groups: Record<string, number> = {};
  for (const [file, info] of Object.entries(out.inputs)) {
    const m = file.match(/node_modules\/((?:@[^/]+\/)?[^/]+)/);
    const key = m ? m[1] : file;
    groups[key] = (groups[key] ?? 0) + info.bytesInOutput;
  }
  console.log(`== ${name} ${(out.bytes / 1024).toFixed(0)} KB`);
  for (const [k, v] of Object.entries(groups).sort((a, b) => b[1] - a[1]).slice(0, 40)) console.log(`${(v / 1024).toFixed(1).padStart(7)} KB  ${k}`);
}
