import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import Handlebars from 'handlebars';
import { hasLabel, label, labelHelper, LABELS, wordCode } from '@stackgate/platform';
import { SPEND_BASES, SPEND_GROUP_BY } from '@stackgate/reporting';

const LIBS = join(__dirname, '..', '..', '..', 'libs');

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sourceFiles(path);
    return name.endsWith('.ts') && !name.endsWith('.spec.ts') && !name.endsWith('.d.ts') ? [path] : [];
  });
}
const files = sourceFiles(LIBS);

/** Every `export enum` of every lib, loaded from its module: [lib/file, enum name, its values]. */
const enums = files.flatMap((file) =>
  [...readFileSync(file, 'utf8').matchAll(/^export enum (\w+)/gm)].map((match) => {
    const loaded = jest.requireActual<Record<string, Record<string, string | number>>>(file)[match[1]];
    return [relative(LIBS, file), match[1], Object.values(loaded).filter((value): value is string => typeof value === 'string')] as const;
  }),
);

describe('The label catalogue', () => {
  it('finds the enums of every lib (the scan itself works)', () => {
    const names = enums.map(([, name]) => name);
    expect(names).toEqual(
      expect.arrayContaining(['Role', 'Lifecycle', 'ItApprovalStatus', 'Stage', 'IntegrationStatus', 'DeliveryStatus']),
    );
    expect(enums.length).toBeGreaterThanOrEqual(20);
  });

  it.each(enums)('%s: every value of %s has a label', (_file, name, values) => {
    const missing = values.filter((value) => !hasLabel(name, value));
    expect(missing).toEqual([]);
  });

  it('labels exactly the values each enum has (no label left for a value an enum lost)', () => {
    const byName = new Map(enums.map(([, name, values]) => [name, values]));
    for (const [name, values] of byName) expect(Object.keys((LABELS as Record<string, object>)[name]).sort()).toEqual([...values].sort());
  });

  it('labels every spend grouping and basis of the reports', () => {
    for (const groupBy of SPEND_GROUP_BY) expect(hasLabel('SpendGroupBy', groupBy)).toBe(true);
    for (const basis of SPEND_BASES) expect(hasLabel('SpendBasis', basis)).toBe(true);
    expect(label('costCenter', 'SpendGroupBy')).toBe('Cost center');
  });

  it('labels every notification event (one per template)', () => {
    const templates = readdirSync(join(LIBS, 'notifications', 'src', 'templates')).filter((name) => name.endsWith('.hbs'));
    expect(templates.length).toBeGreaterThan(10);
    for (const template of templates)
      expect([template, hasLabel('NotificationEvent', template.replace(/\.hbs$/, ''))]).toEqual([template, true]);
  });

  it('labels every audit action the libs record', () => {
    const actions = new Set<string>();
    for (const file of files)
      for (const line of readFileSync(file, 'utf8').split('\n'))
        if (/\baction:/.test(line)) for (const quoted of line.matchAll(/'([a-z_]+\.[a-z_]+)'/g)) actions.add(quoted[1]);
    expect(actions.size).toBeGreaterThan(30);
    expect([...actions].filter((action) => !hasLabel('AuditAction', action))).toEqual([]);
  });

  it('words the governance findings as sentences', () => {
    expect(label('TARGET_NOT_IT_APPROVED', 'GovernanceReason')).toMatch(/^The receiving tool is not approved by IT\.$/);
    expect(label('VENDOR_WITHOUT_DPA', 'GovernanceReason')).toMatch(/data processing agreement/);
    expect(label('NOT_REVIEWED', 'ItApprovalStatus')).toBe('Not reviewed by IT');
  });

  it('words a code it does not know instead of showing it', () => {
    expect(wordCode('SOME_NEW_CODE')).toBe('Some new code');
    expect(wordCode('tool.it_approval_changed')).toBe('Tool it approval changed');
    expect(wordCode('renewal-review-start')).toBe('Renewal review start');
    expect(wordCode('costCenter')).toBe('Cost center');
    expect(label('MISSING_IT_THING')).toBe('Missing IT thing');
    expect(label(null)).toBe('—');
    expect(label('APPROVED', 'Unknown kind')).toBe('Approved');
  });
});

describe('The label helper in templates', () => {
  const hb = Handlebars.create();
  hb.registerHelper('label', labelHelper);

  it('words a code, with or without its kind', () => {
    expect(hb.compile('{{label stage "Stage"}} · {{label status}}')({ stage: 'MARKETING', status: 'IN_REVIEW' })).toBe(
      'Marketing · In review',
    );
  });

  it("leaves a page's own `label` fields readable (tabs, report rows)", () => {
    expect(hb.compile('{{#each tabs}}[{{label}}]{{/each}} {{label}}')({ tabs: [{ label: 'Awaiting <me>' }], label: 'Top' })).toBe(
      '[Awaiting &lt;me&gt;] Top',
    );
  });
});
