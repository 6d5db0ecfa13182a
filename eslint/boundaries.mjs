// The library boundaries (issue 22 §1), as an ESLint flat-config module: spread it into the main
// config (`...boundaries`), or lint with it alone (`npx eslint -c eslint/boundaries.mjs libs`).
// test/security/lib-boundaries.e2e-spec.ts runs it over libs/ in `npm test`.
//
// For every file under libs/<lib>/src:
//   - another lib's entity classes may be imported as types only (`import type { Tool }`), never as
//     values (`getRepository(Tool)` is a read of a table that lib owns: call its exported services);
//   - another lib is imported only through its index (`@stackgate/<lib>`), never by a deep path
//     (`@stackgate/<lib>/src/...`) nor by a relative path that leaves the lib's own src folder;
//   - only the libs the module map allows (docs/ARCHITECTURE.md "Module map": platform and the libs
//     listed for it; the graph has no cycles).
// The entity classes are found by scanning libs/*/src/**/*.entity.ts for `@Entity(` classes, so a new
// entity is covered without editing this file. Raw SQL on another lib's tables is checked by the
// same test (a text scan: SQL strings are not imports).
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import tseslint from 'typescript-eslint';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const LIBS = join(ROOT, 'libs');

/**
 * Which libs each lib may import besides itself (docs/ARCHITECTURE.md "Module map"; the test checks
 * that the two agree and that the graph has no cycle). A new lib must be added here.
 */
export const MODULE_MAP = Object.freeze({
  platform: [],
  audit: ['platform'],
  notifications: ['audit', 'platform'],
  identity: ['audit', 'platform'],
  catalog: ['audit', 'identity', 'platform'],
  integrations: ['audit', 'catalog', 'identity', 'platform'],
  finance: ['audit', 'catalog', 'identity', 'notifications', 'platform'],
  procurement: ['audit', 'catalog', 'finance', 'identity', 'integrations', 'notifications', 'platform'],
  discovery: ['audit', 'catalog', 'finance', 'identity', 'notifications', 'platform'],
  webhooks: ['audit', 'identity', 'notifications', 'platform'],
  chat: ['audit', 'catalog', 'identity', 'notifications', 'platform', 'procurement', 'webhooks'],
  reporting: ['catalog', 'discovery', 'finance', 'identity', 'integrations', 'notifications', 'platform', 'procurement'],
  web: [
    'catalog',
    'chat',
    'discovery',
    'finance',
    'identity',
    'integrations',
    'notifications',
    'platform',
    'procurement',
    'reporting',
    'webhooks',
  ],
});

/** Tables written by SQL only, without an entity: table → owning lib. */
const TABLES_WITHOUT_ENTITY = { ledger_totals: 'finance' };

const walk = (dir) =>
  readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? walk(join(dir, entry.name)) : [join(dir, entry.name)],
  );

/** The libs (folders of libs/ with a src folder). */
export const LIB_NAMES = readdirSync(LIBS, { withFileTypes: true })
  .filter((e) => e.isDirectory() && readdirSync(join(LIBS, e.name)).includes('src'))
  .map((e) => e.name)
  .sort();

for (const lib of LIB_NAMES)
  if (!MODULE_MAP[lib]) throw new Error(`eslint/boundaries.mjs: libs/${lib} is not in MODULE_MAP (docs/ARCHITECTURE.md "Module map")`);

/** Every `@Entity('<table>') … class <Name>` of each lib: { lib: [{ name, table }] }. */
export const ENTITIES = Object.freeze(
  Object.fromEntries(
    LIB_NAMES.map((lib) => [
      lib,
      walk(join(LIBS, lib, 'src'))
        .filter((f) => f.endsWith('.entity.ts'))
        .flatMap((f) =>
          [...readFileSync(f, 'utf8').matchAll(/@Entity\(\s*(?:['"]([^'"]+)['"])?[^)]*\)[^;{]*?\bclass\s+(\w+)/g)].map((m) => ({
            name: m[2],
            table: m[1] ?? m[2].toLowerCase(),
          })),
        ),
    ]),
  ),
);

/** table → the lib that owns it (its entity's lib; ledger_totals → finance). */
export const TABLE_OWNERS = Object.freeze({
  ...Object.fromEntries(Object.entries(ENTITIES).flatMap(([lib, list]) => list.map((e) => [e.table, lib]))),
  ...TABLES_WITHOUT_ENTITY,
});

const MAP_HINT = 'docs/ARCHITECTURE.md "Module map"';

/** The lib a file belongs to (libs/<lib>/src/...), else null. */
function libOf(file) {
  const parts = relative(ROOT, resolve(file)).split(sep);
  return parts[0] === 'libs' && parts[2] === 'src' && MODULE_MAP[parts[1]] ? parts[1] : null;
}

/**
 * What a module specifier of a file in `lib` may not reach: a relative path out of the lib's src;
 * and, for the forms no-restricted-imports does not see (import(), require()), a deep path into
 * another lib or a lib the map does not allow. Null when allowed.
 */
function specifierProblem(file, lib, spec, dynamic) {
  if (spec.startsWith('.')) {
    const target = resolve(dirname(resolve(file)), spec);
    const inside = (dir) => target === dir || target.startsWith(dir + sep);
    // A unit spec may use the shared test helpers (test/support, test/security); product code may not leave its lib.
    if (inside(join(LIBS, lib, 'src')) || (file.endsWith('.spec.ts') && inside(join(ROOT, 'test')))) return null;
    return `'${spec}' leaves libs/${lib}/src: import another lib through its index, '@stackgate/<lib>'`;
  }
  if (!dynamic) return null;
  const [, target, deepPath] = /^@stackgate\/([^/]+)(\/.*)?$/.exec(spec) ?? [];
  if (!target || target === lib) return null;
  if (deepPath) return `'${spec}' is a deep import: import '@stackgate/${target}' (its index) instead`;
  return MODULE_MAP[lib].includes(target) ? null : `${lib} may not import ${target} (${MAP_HINT})`;
}

/** Relative imports that leave the lib, and the dynamic forms of the other checks. */
const noLibEscape = {
  meta: {
    type: 'problem',
    docs: { description: 'Keeps every import of a lib inside its own src folder or on the public index of a lib the module map allows' },
    schema: [],
  },
  create(context) {
    const lib = libOf(context.filename);
    if (!lib) return {};
    const check = (node, dynamic) => {
      if (!node || node.type !== 'Literal' || typeof node.value !== 'string') return;
      const message = specifierProblem(context.filename, lib, node.value, dynamic);
      if (message) context.report({ node, message });
    };
    return {
      ImportDeclaration: (n) => check(n.source, false),
      ExportNamedDeclaration: (n) => check(n.source, false),
      ExportAllDeclaration: (n) => check(n.source, false),
      TSImportEqualsDeclaration: (n) => n.moduleReference.type === 'TSExternalModuleReference' && check(n.moduleReference.expression, true),
      TSImportType: (n) => check(n.argument?.type === 'TSLiteralType' ? n.argument.literal : n.argument, true),
      ImportExpression: (n) => check(n.source, true),
      CallExpression: (n) => n.callee.type === 'Identifier' && n.callee.name === 'require' && check(n.arguments[0], true),
    };
  },
};

/** The options of no-restricted-imports for the files of one lib. */
function restrictedImports(lib) {
  const paths = LIB_NAMES.filter((other) => other !== lib).flatMap((other) => {
    if (!MODULE_MAP[lib].includes(other)) {
      return [{ name: `@stackgate/${other}`, message: `${lib} may not import ${other} (${MAP_HINT}).` }];
    }
    const names = ENTITIES[other].map((e) => e.name);
    return names.length
      ? [
          {
            name: `@stackgate/${other}`,
            importNames: names,
            allowTypeImports: true,
            message:
              `Entities of @stackgate/${other} are for types only outside it: ` +
              'read or write its tables through the services and query functions it exports.',
          },
        ]
      : [];
  });
  return [
    'error',
    {
      paths,
      patterns: [{ regex: '^@stackgate/[^/]+/', message: "Deep import into a lib: import its public index, '@stackgate/<lib>', instead." }],
    },
  ];
}

const plugin = { meta: { name: 'stackgate-lib-boundaries' }, rules: { 'no-lib-escape': noLibEscape } };

/**
 * The config array. ESLint's own no-restricted-imports (it took over `allowTypeImports` from
 * typescript-eslint's, deprecated since 8.64) does the named-import checks; the TypeScript parser
 * tells type-only imports apart, without type information.
 */
export default [
  {
    name: 'stackgate/lib-boundaries/setup',
    files: ['libs/**/*.ts'],
    languageOptions: { parser: tseslint.parser, sourceType: 'module' },
    // typescript-eslint's plugin is registered (none of its rules turned on) so that its rule names in
    // eslint-disable comments are known when this module runs alone.
    plugins: { 'lib-boundaries': plugin, '@typescript-eslint': tseslint.plugin },
    rules: { 'lib-boundaries/no-lib-escape': 'error' },
  },
  ...LIB_NAMES.map((lib) => ({
    name: `stackgate/lib-boundaries/${lib}`,
    files: [`libs/${lib}/src/**/*.ts`],
    rules: { 'no-restricted-imports': restrictedImports(lib) },
  })),
];
