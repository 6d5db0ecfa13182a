// ESLint for the whole tree (`npm run lint`, run first by `npm test`).
// TypeScript: typescript-eslint's recommended-type-checked; plain JavaScript: @eslint/js recommended.
// Formatting is Prettier's job (.prettierrc.json); `max-len` only catches what Prettier cannot wrap.
import js from '@eslint/js';
import { defineConfig, globalIgnores } from 'eslint/config';
import tseslint from 'typescript-eslint';
import oneLetterNames from './eslint/rules/one-letter-names.js';

const stackgate = { rules: { 'one-letter-names': oneLetterNames } };

const node = Object.fromEntries(
  ['require', 'module', 'exports', '__dirname', '__filename', 'process', 'console', 'Buffer', 'URL', 'URLSearchParams', 'AbortController', 'TextEncoder', 'TextDecoder',
    'setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'setImmediate', 'clearImmediate', 'queueMicrotask', 'structuredClone', 'performance', 'fetch', 'global', 'globalThis']
    .map((name) => [name, 'readonly']),
);
const browser = Object.fromEntries(['window', 'document', 'FormData', 'HTMLElement', 'Event', 'URLSearchParams', 'console', 'setTimeout', 'clearTimeout', 'fetch'].map((name) => [name, 'readonly']));
const jest = Object.fromEntries(['describe', 'it', 'test', 'expect', 'beforeAll', 'beforeEach', 'afterAll', 'afterEach', 'jest'].map((name) => [name, 'readonly']));

const shared = {
  plugins: { stackgate },
  rules: {
    'stackgate/one-letter-names': 'error',
    'max-len': ['error', { code: 200, tabWidth: 2 }],
  },
};

export default defineConfig([
  globalIgnores(['**/dist/', '**/node_modules/', 'coverage/', 'data/', 'test-artifacts/', 'node_modules/.cache/']),
  {
    name: 'stackgate/javascript',
    files: ['**/*.js', '**/*.mjs', '**/*.cjs'],
    extends: [js.configs.recommended],
    languageOptions: { sourceType: 'commonjs', globals: node },
    ...shared,
  },
  { files: ['**/*.mjs'], languageOptions: { sourceType: 'module' } },
  { files: ['libs/*/src/assets/**/*.js'], languageOptions: { sourceType: 'script', globals: browser } },
  { files: ['eslint/**/*.spec.js'], languageOptions: { globals: jest } },
  {
    name: 'stackgate/typescript',
    files: ['**/*.ts'],
    extends: [tseslint.configs.recommendedTypeChecked],
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    ...shared,
  },
]);
