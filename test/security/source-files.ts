import { readdirSync } from 'node:fs';
import { join } from 'node:path';

/** The repository's root, for the tests that read the product's own source. */
export const ROOT = join(__dirname, '..', '..');

/** Every product TypeScript file below `dir` (specs left out), for rules checked on the source. */
export function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = join(dir, e.name);
    if (e.isDirectory()) return sourceFiles(p);
    return e.name.endsWith('.ts') && !e.name.endsWith('.spec.ts') ? [p] : [];
  });
}
