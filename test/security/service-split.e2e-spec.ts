import { readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { FxRate, rateOfMonth } from '@stackgate/finance';
import { uuidv7 } from '@stackgate/platform';
import { startTestApp, TestApp } from '../support/test-app';
import { ROOT, sourceFiles } from './source-files';

/**
 * Issue 22: the two largest services are split along their responsibilities, and procurement reads
 * finance's FX rates through finance's public index (rateOfMonth), not with SQL on its table.
 */

const rel = (p: string) => relative(ROOT, p);

describe('Issue 22: split services and FX through finance', () => {
  it('keeps every service of catalog tools and procurement requests at 300 lines or fewer', () => {
    const services = [
      ...sourceFiles(join(ROOT, 'libs/catalog/src/tools')),
      ...sourceFiles(join(ROOT, 'libs/procurement/src/requests')),
    ].filter((p) => p.endsWith('.service.ts'));
    const long = services.map((p) => ({ file: rel(p), lines: readFileSync(p, 'utf8').split('\n').length })).filter((f) => f.lines > 300);
    expect(long).toEqual([]);
  });

  it('has no SQL on finance tables in procurement (FX comes from @stackgate/finance)', () => {
    const offenders = sourceFiles(join(ROOT, 'libs/procurement/src'))
      .filter((p) => /\bfx_rates\b/.test(readFileSync(p, 'utf8')))
      .map(rel);
    expect(offenders).toEqual([]);
  });

  it('keeps the library dependency one way: finance never imports procurement', () => {
    const offenders = sourceFiles(join(ROOT, 'libs/finance/src'))
      .filter((p) => /from '@stackgate\/procurement'/.test(readFileSync(p, 'utf8')))
      .map(rel);
    expect(offenders).toEqual([]);
  });

  describe('rateOfMonth', () => {
    let testApp: TestApp;
    beforeAll(async () => {
      testApp = await startTestApp();
      const now = new Date();
      await testApp.dataSource
        .getRepository(FxRate)
        .insert({ id: uuidv7(), currency: 'CHF', month: '2026-03', rate: '1.0825', createdAt: now, updatedAt: now, version: 1 });
    });
    afterAll(() => testApp?.close());

    it('answers the rate of exactly that month, and null for a month without one (no earlier month stands in)', async () => {
      const manager = testApp.dataSource.manager;
      expect(await rateOfMonth(manager, 'CHF', '2026-03')).toBe('1.0825');
      expect(await rateOfMonth(manager, 'CHF', '2026-04')).toBeNull();
      expect(await rateOfMonth(manager, 'JPY', '2026-03')).toBeNull();
    });
  });
});
