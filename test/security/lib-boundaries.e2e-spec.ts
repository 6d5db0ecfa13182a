import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { ROOT, sourceFiles } from './source-files';

/**
 * Issue 22 §1: each lib owns its tables and is used by the others only through its public index.
 * eslint/boundaries.mjs (ESLint, run here alone over libs/**\/*.ts) refuses another lib's entity
 * imported as a value, deep and out-of-lib imports, and imports the module map does not allow; the
 * text scan below refuses SQL naming another lib's table. Run just this file with
 * `npx jest --selectProjects e2e --testPathPatterns lib-boundaries`, or the lint alone with
 * `npx eslint -c eslint/boundaries.mjs 'libs/**\/*.ts'`.
 */

/**
 * Files allowed to read or write another lib's tables: none. Every cross-lib read goes through the
 * owning lib's exports (issue 22 §1, §3). Kept as an explicit, empty list so that any exception would
 * have to be written here, in review, with its reason.
 */
const KNOWN_VIOLATIONS: string[] = [];

interface LintProblem {
  file: string;
  messages: { ruleId: string | null; line: number; message: string }[];
}
interface LintRun {
  lintMs: number;
  filesLinted: number;
  problems: LintProblem[];
  snippets: { ruleId: string | null; message: string }[][];
  moduleMap: Record<string, string[]>;
  tableOwners: Record<string, string>;
}

/** Code linted as if it were the given file, and whether the rule must refuse it. */
const SNIPPETS: { what: string; filePath: string; code: string; refused: boolean }[] = [
  {
    what: 'finance uses a catalog entity as a value',
    filePath: 'libs/finance/src/x.ts',
    refused: true,
    code: "import { Tool } from '@stackgate/catalog';\nexport const tools = (m: { getRepository(e: unknown): unknown }) => m.getRepository(Tool);\n",
  },
  {
    what: 'finance imports a catalog entity as a type',
    filePath: 'libs/finance/src/x.ts',
    refused: false,
    code: [
      "import type { Tool } from '@stackgate/catalog';",
      "import { type Vendor, CatalogQueries } from '@stackgate/catalog';",
      'export const name = (t: Tool, v: Vendor, q: CatalogQueries) => [t.name, v.name, q];',
    ].join('\n'),
  },
  {
    what: 'finance imports a catalog file by a deep path',
    filePath: 'libs/finance/src/x.ts',
    refused: true,
    code: "import type { Tool } from '@stackgate/catalog/src/tools/tool.entity';\nexport type T = Tool;\n",
  },
  {
    what: 'finance imports a catalog file by a relative path',
    filePath: 'libs/finance/src/ledger/x.ts',
    refused: true,
    code: "import { CatalogQueries } from '../../../catalog/src/catalog-queries';\nexport const q = CatalogQueries;\n",
  },
  {
    what: 'finance loads a lib the map does not allow, dynamically',
    filePath: 'libs/finance/src/x.ts',
    refused: true,
    code: "export const load = () => import('@stackgate/reporting');\n",
  },
  {
    what: 'identity imports reporting (above it in the map)',
    filePath: 'libs/identity/src/x.ts',
    refused: true,
    code: "import { ReportsService } from '@stackgate/reporting';\nexport const s = ReportsService;\n",
  },
  {
    what: 'reporting imports webhooks (not among its imports in the map)',
    filePath: 'libs/reporting/src/x.ts',
    refused: true,
    code: "import { WebhooksService } from '@stackgate/webhooks';\nexport const s = WebhooksService;\n",
  },
  {
    what: "reporting imports identity's exported directory (allowed)",
    filePath: 'libs/reporting/src/x.ts',
    refused: false,
    code: [
      "import { PeopleDirectory } from '@stackgate/identity';",
      "import { sqlBool } from '@stackgate/platform';",
      "import { toBigInt } from './report-math';",
      'export const x = [PeopleDirectory, sqlBool, toBigInt];',
    ].join('\n'),
  },
  {
    what: 'an eslint-disable comment does not waive a boundary',
    filePath: 'libs/finance/src/x.ts',
    refused: true,
    code: "// eslint-disable-next-line\nimport { Tool } from '@stackgate/catalog';\nexport const t = Tool;\n",
  },
];

/** The lib of a path (libs/<lib>/src/...). */
const libOf = (file: string) => relative(ROOT, file).split(sep)[1];

/**
 * SQL in a file of `lib` that names a table another lib owns: FROM/JOIN/INTO/UPDATE followed by the
 * table, bare, quoted or escaped (`${e('table')}`), and the query builder's .from('table')-style calls.
 */
function sqlOnForeignTables(lib: string, text: string, owners: Record<string, string>): string[] {
  const foreign = Object.keys(owners).filter((table) => owners[table] !== lib);
  if (!foreign.length) return [];
  const tables = foreign.sort((a, b) => b.length - a.length).join('|');
  const patterns = [
    new RegExp(`\\b(?:FROM|JOIN|INTO|UPDATE)\\s+(?:[\`"]|\\$\\{[^}]*?['"\`])?(${tables})(?![\\w])`, 'g'),
    new RegExp(`\\.(?:from|into|update|(?:inner|left)Join(?:AndSelect|AndMapOne|AndMapMany)?)\\(\\s*['"\`](${tables})['"\`]`, 'g'),
  ];
  const found: string[] = [];
  for (const re of patterns) {
    for (const match of text.matchAll(re))
      found.push(`line ${text.slice(0, match.index).split('\n').length}: ${match[0]} (${owners[match[1]]}'s table)`);
  }
  return found;
}

// The source is the same on every engine: `npm test` checks it in its SQLite pass and skips it in the MariaDB pass.
const describeOnce = process.env.TEST_DB_ENGINE === 'mariadb' ? describe.skip : describe;

describeOnce('Libs use each other only through their public index, within the module map (issue 22 §1)', () => {
  let run: LintRun;
  const libFiles = sourceFiles(join(ROOT, 'libs'));

  beforeAll(() => {
    const child = spawnSync(process.execPath, [join(__dirname, 'lib-boundaries.lint.mjs')], {
      cwd: ROOT,
      input: JSON.stringify(SNIPPETS.map(({ filePath, code }) => ({ filePath, code }))),
      encoding: 'utf8',
      maxBuffer: 64 * 1024 * 1024,
    });
    if (child.status !== 0) throw new Error(`lib-boundaries.lint.mjs failed (${child.status}): ${child.stderr}`);
    run = JSON.parse(child.stdout) as LintRun;
  }, 120_000);

  it('ESLint with eslint/boundaries.mjs finds no problem in libs/ outside the known violations', () => {
    expect(run.filesLinted).toBe(libFiles.length + libSpecCount());
    const problems = run.problems
      .filter((p) => !KNOWN_VIOLATIONS.includes(p.file))
      .flatMap((p) => p.messages.map((m) => `${p.file}:${m.line} ${m.ruleId ?? '(parse)'}: ${m.message}`));
    expect(problems).toEqual([]);
  });

  it('no lib runs SQL on a table another lib owns, outside the known violations', () => {
    const findings = libFiles
      .filter((f) => !KNOWN_VIOLATIONS.includes(relative(ROOT, f)))
      .flatMap((f) => sqlOnForeignTables(libOf(f), readFileSync(f, 'utf8'), run.tableOwners).map((x) => `${relative(ROOT, f)} ${x}`));
    expect(findings).toEqual([]);
  });

  it('every known violation still violates (a fixed file leaves the list)', () => {
    const linted = new Set(run.problems.map((p) => p.file));
    const fixed = KNOWN_VIOLATIONS.filter(
      (f) => !linted.has(f) && !sqlOnForeignTables(libOf(join(ROOT, f)), readFileSync(join(ROOT, f), 'utf8'), run.tableOwners).length,
    );
    expect(fixed).toEqual([]);
  });

  it("the rule refuses value imports of another lib's entities, deep and out-of-lib paths, and edges the map lacks", () => {
    const verdicts = SNIPPETS.map((s, i) => ({ what: s.what, refused: run.snippets[i].length > 0 }));
    expect(verdicts).toEqual(SNIPPETS.map((s) => ({ what: s.what, refused: s.refused })));
    // Refused by the boundary rules themselves, not by a parse error.
    for (const [index, snippet] of SNIPPETS.entries())
      if (snippet.refused) expect(run.snippets[index].map((m) => m.ruleId)).not.toContain(null);
  });

  it("the SQL scan finds another lib's table in raw SQL and in query-builder calls", () => {
    const owners = run.tableOwners;
    expect(owners).toMatchObject({
      tools: 'catalog',
      users: 'identity',
      ledger_totals: 'finance',
      fx_rates: 'finance',
      integrations: 'integrations',
    });
    expect(sqlOnForeignTables('finance', "const sql = 'SELECT id FROM tools WHERE id = ?';", owners)).toHaveLength(1);
    expect(
      sqlOnForeignTables('finance', "await m.query('UPDATE `tools` SET x = 1 WHERE id IN (SELECT toolId FROM `users`)');", owners),
    ).toHaveLength(2);
    expect(sqlOnForeignTables('reporting', "`SELECT * FROM ${e('ledger_totals')} l JOIN ${e('fx_rates')} r`", owners)).toHaveLength(2);
    expect(sqlOnForeignTables('reporting', "m.createQueryBuilder().from('ledger_totals', 'l')", owners)).toHaveLength(1);
    // Its own tables, and other words, are not findings.
    expect(
      sqlOnForeignTables('finance', "'SELECT * FROM ledger_totals JOIN fx_rates'; const tool_capabilities_note = 'from tools';", owners),
    ).toEqual([]);
    expect(sqlOnForeignTables('catalog', "'SELECT * FROM tool_capabilities' /* FROM tools_archive */", owners)).toEqual([]);
  });

  it('the module map in eslint/boundaries.mjs is the one docs/ARCHITECTURE.md shows, and has no cycle', () => {
    const doc = readFileSync(join(ROOT, 'docs', 'ARCHITECTURE.md'), 'utf8');
    const section = doc.slice(doc.indexOf('## Module map'), doc.indexOf('## Who owns which tables'));
    const documented = Object.fromEntries(
      [...section.matchAll(/^\| `(\w+)` \|[^\n]*\| ([a-z, –-]+) \|$/gm)].map((m) => [
        m[1],
        m[2].trim() === '–' ? [] : m[2].split(',').map((s) => s.trim()),
      ]),
    );
    expect(documented).toEqual(Object.fromEntries(Object.entries(run.moduleMap).map(([lib, deps]) => [lib, [...deps].sort()])));
    const cycles: string[] = [];
    const visit = (lib: string, path: string[]) => {
      if (path.includes(lib)) {
        cycles.push([...path, lib].join(' → '));
        return;
      }
      for (const dep of run.moduleMap[lib] ?? []) visit(dep, [...path, lib]);
    };
    for (const lib of Object.keys(run.moduleMap)) visit(lib, []);
    expect(cycles).toEqual([]);
  });
});

/** How many unit specs libs/ holds (sourceFiles leaves them out; ESLint lints them too). */
function libSpecCount(dir = join(ROOT, 'libs')): number {
  return readdirSync(dir, { withFileTypes: true }).reduce(
    (n, e) => n + (e.isDirectory() ? libSpecCount(join(dir, e.name)) : e.name.endsWith('.spec.ts') ? 1 : 0),
    0,
  );
}
