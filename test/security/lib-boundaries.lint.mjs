// Runs eslint/boundaries.mjs — alone, whatever the main ESLint config holds — with ESLint's Node API
// over libs/**/*.ts and over the snippets given on stdin ([{ filePath, code }]), and prints one JSON
// document: the problems per file, the snippets' problems, the run time, and the module map and
// table owners the rule was built from. lib-boundaries.e2e-spec.ts runs it in a child process
// (Jest's module sandbox cannot load an ES-module config file).
import { readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ESLint } from 'eslint';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const configFile = join(root, 'eslint', 'boundaries.mjs');
const { MODULE_MAP, TABLE_OWNERS, ENTITIES } = await import(configFile);

const eslint = new ESLint({
  cwd: root,
  overrideConfigFile: configFile,
  // Boundaries are not waived line by line: eslint-disable comments do not apply to this run.
  overrideConfig: { linterOptions: { noInlineConfig: true, reportUnusedDisableDirectives: 'off' } },
  errorOnUnmatchedPattern: true,
});
// Errors only: every boundary rule is an error, and so is a file that does not parse; the warnings
// left are the notices that an eslint-disable comment was ignored.
const errorsOf = (messages) =>
  messages.filter((m) => m.severity === 2).map((m) => ({ ruleId: m.ruleId, line: m.line, message: m.message }));
const problemsOf = (results) =>
  results.map((r) => ({ file: relative(root, r.filePath), messages: errorsOf(r.messages) })).filter((r) => r.messages.length);

const snippets = JSON.parse(readFileSync(0, 'utf8') || '[]');
const started = process.hrtime.bigint();
const results = await eslint.lintFiles(['libs/**/*.ts']);
const lintMs = Number(process.hrtime.bigint() - started) / 1e6;
const snippetResults = [];
for (const snippet of snippets)
  snippetResults.push(errorsOf((await eslint.lintText(snippet.code, { filePath: join(root, snippet.filePath) }))[0].messages));

process.stdout.write(
  JSON.stringify({
    lintMs,
    filesLinted: results.length,
    problems: problemsOf(results),
    snippets: snippetResults,
    moduleMap: MODULE_MAP,
    tableOwners: TABLE_OWNERS,
    entities: ENTITIES,
  }),
);
