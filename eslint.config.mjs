// ESLint for the whole tree: `npm run lint`, which `npm test` runs first.
// TypeScript: typescript-eslint's recommended-type-checked; plain JavaScript: @eslint/js recommended.
// Layout is Prettier's job (.prettierrc.json); `max-len` catches the lines Prettier cannot wrap.
import js from '@eslint/js';
import { defineConfig, globalIgnores } from 'eslint/config';
import tseslint from 'typescript-eslint';
import oneLetterNames from './eslint/rules/one-letter-names.js';

// The lib boundary rules (each lib reads another only through its public index; see docs/ARCHITECTURE.md).
import boundariesConfig from './eslint/boundaries.mjs';
const boundaries = [boundariesConfig].flat();

// Code lines are wrapped by Prettier at its printWidth (140); this bounds what it cannot wrap
// (long strings, template literals, comments).
const MAX_LINE_LENGTH = 160;

const readonlyGlobals = (names) => Object.fromEntries(names.split(/\s+/).map((name) => [name, 'readonly']));
const nodeGlobals = readonlyGlobals(`require module exports __dirname __filename process console Buffer URL URLSearchParams
  AbortController AbortSignal TextEncoder TextDecoder setTimeout clearTimeout setInterval clearInterval setImmediate clearImmediate
  queueMicrotask structuredClone performance fetch FormData Blob Response Headers global globalThis`);
const browserGlobals = readonlyGlobals('window document console fetch URLSearchParams FormData setTimeout clearTimeout');
const jestGlobals = readonlyGlobals('describe it test expect beforeAll beforeEach afterAll afterEach jest');

const unusedVars = {
  // `_`-prefixed names mark what is deliberately unused; `const { secret: _s, ...rest } = row` drops fields.
  argsIgnorePattern: '^_',
  varsIgnorePattern: '^_',
  caughtErrorsIgnorePattern: '^_',
  destructuredArrayIgnorePattern: '^_',
  ignoreRestSiblings: true,
};

const shared = {
  plugins: { stackgate: { rules: { 'one-letter-names': oneLetterNames } } },
  rules: {
    'stackgate/one-letter-names': 'error',
    'max-len': ['error', { code: MAX_LINE_LENGTH, tabWidth: 2, ignoreUrls: true }],
  },
};

export default defineConfig([
  globalIgnores(['**/dist/', '**/node_modules/', '.cache/', 'coverage/', 'data/', 'test-artifacts/']),
  // JavaScript compiled beside its TypeScript (as .gitignore has it); the browser assets are source.
  globalIgnores(['apps/**/*.js', 'libs/**/*.js', '!libs/*/src/assets/**/*.js', 'migrations/**/*.js'], 'stackgate/compiled-output'),
  {
    name: 'stackgate/javascript',
    files: ['**/*.js', '**/*.mjs'],
    extends: [js.configs.recommended],
    languageOptions: { sourceType: 'commonjs', globals: nodeGlobals },
    ...shared,
    rules: { ...shared.rules, 'no-unused-vars': ['error', unusedVars] },
  },
  { files: ['**/*.mjs'], languageOptions: { sourceType: 'module' } },
  { files: ['libs/*/src/assets/**/*.js'], languageOptions: { sourceType: 'script', globals: browserGlobals } },
  { files: ['eslint/**/*.spec.js'], languageOptions: { globals: { ...nodeGlobals, ...jestGlobals } } },
  {
    name: 'stackgate/typescript',
    files: ['**/*.ts'],
    extends: [tseslint.configs.recommendedTypeChecked],
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    ...shared,
    rules: {
      ...shared.rules,
      '@typescript-eslint/no-unused-vars': ['error', unusedVars],
      // `async` without `await` is how this code implements Promise-returning interfaces and test doubles;
      // the bug this rule hunts (a forgotten await) is what no-floating-promises and no-misused-promises catch.
      '@typescript-eslint/require-await': 'off',
    },
  },
  {
    name: 'stackgate/black-box-tests',
    files: ['test/**/*.ts'],
    rules: {
      // supertest types every response body as `any`: these tests read the JSON the API answers and
      // check it with expect(), and their factories hand the body on, so `any` is the honest type here.
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
    },
  },
  {
    name: 'stackgate/tests',
    files: ['**/*.spec.ts', 'test/**/*.ts'],
    rules: {
      // Tests compare and wrap methods by reference (expect(x.method).toBe(...), logger spies, getHandler stubs).
      '@typescript-eslint/unbound-method': 'off',
    },
  },
  ...boundaries,
]);
