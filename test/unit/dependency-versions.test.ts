// Powertools packages share `commons`: two versions of them ship two copies of it in every bundle.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

const lock = JSON.parse(readFileSync(new URL('../../package-lock.json', import.meta.url), 'utf8')) as {
  packages: Record<string, { version?: string }>;
};
const manifest = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as {
  dependencies: Record<string, string>;
};

describe('Powertools', () => {
  it('is one version everywhere: package.json and every copy in the lock, commons included', () => {
    const declared = Object.entries(manifest.dependencies).filter(([name]) =>
      name.startsWith('@aws-lambda-powertools/'),
    );
    const locked = Object.entries(lock.packages).filter(([path]) =>
      /(^|\/)node_modules\/@aws-lambda-powertools\//.test(path),
    );
    expect(declared.length).toBeGreaterThanOrEqual(4);
    expect(locked.some(([path]) => path.endsWith('/commons'))).toBe(true);
    expect(locked.filter(([path]) => path.endsWith('/commons'))).toHaveLength(1);
    const versions = new Set([
      ...declared.map(([, version]) => version),
      ...locked.map(([, entry]) => entry.version),
    ]);
    expect([...versions]).toHaveLength(1);
  });
});
