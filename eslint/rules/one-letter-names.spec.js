'use strict';
const { RuleTester } = require('eslint');
const tseslint = require('typescript-eslint');
const rule = require('./one-letter-names');

const tester = new RuleTester({ languageOptions: { parser: tseslint.parser, ecmaVersion: 2022, sourceType: 'module' } });
const variable = (name) => ({ messageId: 'variable', data: { name } });
const parameter = (name) => ({ messageId: 'parameter', data: { name } });
const fn = (name) => ({ messageId: 'function', data: { name } });

tester.run('one-letter-names', rule, {
  valid: [
    // Tiny lambdas: a single-expression arrow function may use one-letter parameters.
    'const ids = rows.map((r) => r.id);',
    'tools.sort((a, b) => a.name.localeCompare(b.name));',
    'const next = (n = 1) => n + 1;',
    'const pairs = Object.entries(totals).map(([k, v]) => `${k}=${v}`);',
    // The loop counters i and j, declared in a for header.
    'for (let i = 0; i < 10; i++) total += i;',
    'for (let i = 0, j = rows.length - 1; i < j; i++, j--) swap(i, j);',
    // `_` marks a parameter that is deliberately not used.
    'function handle(_, name) { return name; }',
    'list.forEach((_, index) => { seen.add(index); });',
    // Names with a word in them, including renamed destructuring and catch without a binding.
    'const { a: amount, ...rest } = body;',
    'try { run(); } catch { retry(); }',
    'class Service { constructor(private readonly manager: object) {} }',
    // Type-only signatures are not checked.
    'type Compare = (a: number, b: number) => number;',
    'interface Sorter { sort(a: string, b: string): number }',
    'declare function parse(s: string): number;',
  ],
  invalid: [
    { code: 'const x = 1;', errors: [variable('x')] },
    { code: 'let a, b;', errors: [variable('a'), variable('b')] },
    { code: 'function f() {}', errors: [fn('f')] },
    { code: 'const run = function g() {};', errors: [fn('g')] },
    { code: 'items.forEach((x) => { use(x); });', errors: [parameter('x')] },
    { code: 'items.map(function (x) { return x; });', errors: [parameter('x')] },
    { code: 'const save = async (m) => { await m.flush(); };', errors: [parameter('m')] },
    { code: 'function total(value = 1, { k }, ...r) { return value; }', errors: [parameter('k'), parameter('r')] },
    { code: 'class Service { constructor(private readonly m: object) {} }', errors: [parameter('m')] },
    { code: 'class Service { find(q: string) { return q; } }', errors: [parameter('q')] },
    // for-of and for-in bindings and other counters are not the conventional i/j of a for header.
    { code: 'for (const k of keys) use(k);', errors: [variable('k')] },
    { code: 'for (const k in record) use(k);', errors: [variable('k')] },
    { code: 'for (let k = 0; k < 3; k++) use(k);', errors: [variable('k')] },
    { code: 'for (let i = 0; i < 3; i++) { const j = i * 2; use(j); }', errors: [variable('j')] },
    { code: 'try { run(); } catch (e) { log(e); }', errors: [variable('e')] },
    { code: 'const { a } = body;', errors: [variable('a')] },
    { code: 'const [x, ...y] = list;', errors: [variable('x'), variable('y')] },
    { code: 'const _ = 1;', errors: [variable('_')] },
  ],
});
