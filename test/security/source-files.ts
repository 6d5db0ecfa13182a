import { readdirSync } from 'node:fs';
import { join } from 'node:path';

/** The repository's root, for the tests that read the product's own source. */
export const ROOT = join(__dirname, '..', '..');

/** Every product TypeScript file below `dir` (specs left out), for rules checked on the source. */
export function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const fullPath = join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(fullPath);
    return entry.name.endsWith('.ts') && !entry.name.endsWith('.spec.ts') ? [fullPath] : [];
  });
}
