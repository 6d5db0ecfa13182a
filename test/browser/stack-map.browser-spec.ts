import { Locator, Page } from 'playwright-core';
import { DEMO_PASSWORD } from '../../apps/api/src/demo/demo-data';
import {
  expectAccessible,
  expectNoSidewaysScroll,
  expectText,
  heading,
  screenshot,
  signInAs,
  signOut,
  startDemoInBrowser,
  VIEWPORTS,
} from '../support/browser';

/**
 * The CIO reads the demo stack map at 1366 px and at 390 px: every lane on screen without a sideways
 * scroll, headings and names inside their boxes, a tool's flows highlighted when its box has the
 * keyboard focus (and by hover), zoom and pan from the buttons and the keys, and axe-core clean.
 */
describe('In the browser: the stack map', () => {
  let base: string;
  let page: Page;
  let close: () => Promise<void>;

  beforeAll(async () => {
    ({ base, page, close } = await startDemoInBrowser());
    await signInAs(page, base, 'cio@demo.stackgate.local', DEMO_PASSWORD);
  });
  afterAll(async () => close?.());

  /** The map the page shows at this width (the three-lane or the one-lane rendering). */
  const shownMap = (width: number) => page.locator(width > 720 ? '.map-wide svg.stack-map' : '.map-narrow svg.stack-map');

  /** A tool's box by the name written in it (not by its tooltip, which names its partners too). */
  const toolBox = (map: Locator, name: string | RegExp) =>
    map
      .locator('a.box.tool')
      .filter({ has: page.locator('text.name', { hasText: typeof name === 'string' ? new RegExp(`^(★ )?${name}$`) : name }) });

  for (const [name, viewport] of Object.entries(VIEWPORTS)) {
    it(`fits the ${name} width (${viewport.width} px) and highlights a tool's flows on focus`, async () => {
      await page.setViewportSize(viewport);
      await page.goto(`${base}/stack-map`);
      await expectText(heading(page), 'Stack map');
      const map = shownMap(viewport.width);
      await map.waitFor();
      expect(await map.getAttribute('data-columns')).toBe(viewport.width > 720 ? '3' : '1');
      await expectNoSidewaysScroll(page, `stack map, ${viewport.width} px`);
      // Every lane is within the window, and every heading and tool name within its lane's box column.
      const overflow = await map.evaluate((svg) => {
        const scale = svg.getBoundingClientRect().width / (svg as SVGSVGElement).viewBox.baseVal.width;
        const lanes = [...svg.querySelectorAll('.lane > rect')].map((rect) => rect.getBoundingClientRect());
        const offScreen = lanes.filter((rect) => rect.left < 0 || rect.right > window.innerWidth + 0.5).length;
        const cut = [...svg.querySelectorAll('text.sub, .box.tool text.name')]
          .filter((text) => (text as SVGTextElement).getBBox().width * scale > 260 * scale + 1)
          .map((text) => text.textContent);
        return { lanes: lanes.length, offScreen, cut };
      });
      expect(overflow).toEqual({ lanes: 6, offScreen: 0, cut: [] });

      // The keyboard focus on Segment's box highlights its flows and the boxes at their other ends.
      const segment = toolBox(map, 'Segment');
      await segment.focus();
      const key = await segment.getAttribute('data-box');
      const state = await map.evaluate((svg, box) => {
        const edges = [...svg.querySelectorAll('.edge')];
        const mine = edges.filter((edge) => edge.getAttribute('data-from') === box || edge.getAttribute('data-to') === box);
        return {
          focusing: svg.classList.contains('focusing'),
          mine: mine.length,
          highlighted: mine.every((edge) => edge.classList.contains('hl')),
          others: edges.filter((edge) => !mine.includes(edge) && edge.classList.contains('hl')).length,
          partners: svg.querySelectorAll('.box.partner').length,
        };
      }, key);
      expect(state.mine).toBeGreaterThan(0);
      expect(state).toEqual({ focusing: true, mine: state.mine, highlighted: true, others: 0, partners: expect.any(Number) });
      expect(state.partners).toBeGreaterThan(0);
      await expectText(page.locator('[data-map-focus]'), /^Segment — .*sends data to .*\(\d+ outgoing, \d+ incoming lines\)$/);
      // Its name tells a screen reader the same.
      expect(await segment.locator('title').textContent()).toMatch(/sends data to|receives data from/);
      await screenshot(page, `stack-map-${viewport.width}-focus`);
      await expectAccessible(page, `stack map, ${viewport.width} px, a tool focused`);

      // Hover moves the highlight to another tool.
      const other = toolBox(map, /^HubSpot/).first();
      await other.hover();
      expect(await other.evaluate((el) => el.classList.contains('current'))).toBe(true);
    });
  }

  it('zooms and pans from the buttons and the keyboard, and back to the whole map', async () => {
    await page.setViewportSize(VIEWPORTS.desktop);
    await page.goto(`${base}/stack-map`);
    const map = shownMap(VIEWPORTS.desktop.width);
    await map.waitFor();
    const whole = await map.getAttribute('viewBox');
    const box = () =>
      map.evaluate((svg) => {
        const shown = (svg as SVGSVGElement).viewBox.baseVal;
        return { x: shown.x, y: shown.y, w: shown.width };
      });
    await page.getByRole('button', { name: 'Zoom in' }).click();
    const zoomed = await box();
    expect(zoomed.w).toBeLessThan(Number(whole!.split(' ')[2]));
    await page.getByRole('button', { name: 'Pan right' }).click();
    expect((await box()).x).toBeGreaterThan(zoomed.x);
    await screenshot(page, 'stack-map-zoomed');
    // From the keyboard: focus a box, "+" zooms in further, an arrow pans, "0" fits the whole map again.
    await map.locator('a.box.tool').first().focus();
    const before = await box();
    await page.keyboard.press('+');
    expect((await box()).w).toBeLessThan(before.w);
    const afterZoom = await box();
    await page.keyboard.press('ArrowDown');
    expect((await box()).y).toBeGreaterThanOrEqual(afterZoom.y);
    await page.keyboard.press('0');
    expect(await map.getAttribute('viewBox')).toBe(whole!.split(' ').map(Number).join(' '));
    await expectAccessible(page, 'stack map, zoom controls');
  });

  it('collapses a large subcategory into one box with its count and opens it on click', async () => {
    await page.setViewportSize(VIEWPORTS.desktop);
    await page.goto(`${base}/stack-map?grouped=true`);
    const map = shownMap(VIEWPORTS.desktop.width);
    const groups = map.locator('a.box.group');
    expect(await groups.count()).toBeGreaterThan(3);
    await expectNoSidewaysScroll(page, 'stack map, grouped');
    await expectAccessible(page, 'stack map, grouped');
    await screenshot(page, 'stack-map-grouped');
    const first = groups.first();
    const count = Number((await first.locator('text.name').textContent())!.replace(/\D/g, ''));
    await first.click();
    await page.waitForURL(/expand=/);
    await expectText(heading(page), 'Stack map');
    // The opened subcategory's heading now collapses it again; its tools are boxes of their own.
    const collapse = map.locator('a.sub-link');
    expect(await collapse.count()).toBe(1);
    expect(await map.locator('a.box.tool').count()).toBe(count);
    await collapse.click();
    await page.waitForURL((url) => !url.search.includes('expand='));
    expect(await map.locator('a.box.tool').count()).toBe(0);
    await signOut(page);
  });
});
