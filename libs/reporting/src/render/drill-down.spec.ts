import { ReportRenderer } from './report-renderer';
import { drillHref } from './drill-down';

const ID = '01890a5d-ac96-774b-bcce-b302099a8057';

describe('report drill-down links', () => {
  it('leads a tool to its page, a vendor or category to the filtered catalog, a cost center to its spend entries', () => {
    expect(drillHref('tool', ID)).toBe(`/tools/${ID}`);
    expect(drillHref('vendor', ID)).toBe(`/catalog?vendorId=${ID}`);
    expect(drillHref('category', ID)).toBe(`/catalog?categoryId=${ID}`);
    expect(drillHref('subcategory', ID)).toBe(`/catalog?subcategoryId=${ID}`);
    expect(drillHref('costCenter', ID, { from: '2026-01', to: '2026-12' })).toBe(
      `/finance/spend?costCenterId=${ID}&from=2026-01&to=2026-12`,
    );
    expect(drillHref('costCenter', ID, { from: '2026-04-01', to: '2027-03-31' })).toBe(
      `/finance/spend?costCenterId=${ID}&from=2026-04&to=2027-03`,
    );
    expect(drillHref('costCenter', ID)).toBe(`/finance/spend?costCenterId=${ID}`);
  });

  it('leads nowhere for groupings that are not records, or ids that are not ids', () => {
    for (const kind of ['budget', 'month', 'quarter', 'year', 'costType']) expect(drillHref(kind, ID)).toBeNull();
    for (const id of ['MARKETING', '', null, undefined, `${ID}"><script>`, 'javascript:alert(1)']) expect(drillHref('tool', id)).toBeNull();
  });

  it('links names only in the web rendering (links: true), escaped; the printable page keeps plain names', () => {
    const renderer = new ReportRenderer();
    const report = {
      asOf: '2026-06-01',
      currency: 'EUR',
      shadowIt: [
        {
          tool: { id: ID, name: '<img src=x onerror=alert(1)>' },
          itApproval: 'NOT_REVIEWED',
          annualSpend: { amount: '1.00', currency: 'EUR' },
        },
      ],
      overlapGroups: [],
      dataSilos: { isolated: [], noPathToSystemOfRecord: [] },
      personalDataFlows: [],
      unusedSeats: [],
      openConditionsPastDue: [],
      reviewTurnaround: null,
    };
    const web = renderer.renderBody('governance', { report, shadowChart: '', links: true });
    expect(web).toContain(`<a href="/tools/${ID}">&lt;img src&#x3D;x onerror&#x3D;alert(1)&gt;</a>`);
    expect(web).not.toContain('<img');
    const printable = renderer.render('governance', 'Governance', { report, shadowChart: '' });
    expect(printable).not.toContain(`href="/tools/${ID}"`);
    expect(printable).toContain('&lt;img src&#x3D;x onerror&#x3D;alert(1)&gt;');
  });
});
