import { Injectable } from '@nestjs/common';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import Handlebars from 'handlebars';
import { labelHelper, minorDigits } from '@stackgate/platform';
import { drillHelper } from './drill-down';

export const REPORT_VIEWS_DIR = join(__dirname, '..', 'views');

/** "€12,000.00" from a decimal string, exactly (no float round trip). */
export function formatMoney(amount: string | null | undefined, currency: string, locale = 'en-GB'): string {
  if (amount === null || amount === undefined) return '—';
  const digits = minorDigits(currency);
  const neg = amount.startsWith('-');
  const [whole, frac = ''] = amount.replace('-', '').split('.');
  const grouped = whole.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  const symbol =
    new Intl.NumberFormat(locale, { style: 'currency', currency, currencyDisplay: 'narrowSymbol' })
      .formatToParts(0)
      .find((p) => p.type === 'currency')?.value ?? currency;
  return `${neg ? '−' : ''}${symbol}${grouped}${digits ? '.' + frac.padEnd(digits, '0') : ''}`;
}

/** "0.2500" → "25.00 %". */
export const formatShare = (s: string) => `${(Number(s) * 100).toFixed(2)} %`;

/** The printable report pages: one layout, one Handlebars page per report. */
@Injectable()
export class ReportRenderer {
  private readonly hb = Handlebars.create();
  private readonly layout: Handlebars.TemplateDelegate;
  private readonly pages = new Map<string, Handlebars.TemplateDelegate>();

  constructor() {
    this.hb.registerHelper('money', (amount: string | null, currency: string) => formatMoney(amount, currency));
    this.hb.registerHelper('moneyObj', (m: { amount: string; currency: string } | null) => (m ? formatMoney(m.amount, m.currency) : '—'));
    this.hb.registerHelper('share', (s: string) => formatShare(s));
    this.hb.registerHelper('yesno', (b: unknown) => (b ? 'Yes' : 'No'));
    this.hb.registerHelper('dash', (v: unknown) => (v === null || v === undefined || v === '' ? '—' : v));
    this.hb.registerHelper('renewalState', (s: string | null) => RENEWAL_STATE_LABELS[s ?? ''] ?? '—');
    this.hb.registerHelper('renewalDecision', (d: { decision: string; seats: number | null } | null) =>
      d ? renewalDecisionLabel(d) : '—',
    );
    // The label catalogue (@stackgate/platform): codes in words, {{label code "Kind"}}.
    this.hb.registerHelper('label', labelHelper);
    // An overrun (a negative remaining or variance): red, and said in words too (not colour only).
    this.hb.registerHelper('overrun', (amount: unknown, currency: string, words: unknown) =>
      typeof amount === 'string' && amount.startsWith('-')
        ? new Handlebars.SafeString(
            `<td class="num over">${Handlebars.escapeExpression(formatMoney(amount, currency))}<br>` +
              `<small>${Handlebars.escapeExpression(typeof words === 'string' ? words : 'over budget')}</small></td>`,
          )
        : new Handlebars.SafeString(`<td class="num">${Handlebars.escapeExpression(formatMoney(amount as string | null, currency))}</td>`),
    );
    this.hb.registerHelper('utcMinute', (iso: unknown) => (typeof iso === 'string' ? `${iso.slice(0, 10)} ${iso.slice(11, 16)} UTC` : '—'));
    this.hb.registerHelper('lower', (text: unknown) => (typeof text === 'string' ? text.toLowerCase() : ''));
    this.hb.registerHelper('svg', (markup: string) => new Handlebars.SafeString(markup));
    this.hb.registerHelper('drill', drillHelper);
    this.hb.registerHelper('concat', (...args: unknown[]) =>
      args
        .slice(0, -1)
        .map((part) => (typeof part === 'string' || typeof part === 'number' ? String(part) : ''))
        .join(''),
    );
    this.layout = this.hb.compile(readFileSync(join(REPORT_VIEWS_DIR, 'layout.hbs'), 'utf8'), { strict: false });
    for (const file of readdirSync(REPORT_VIEWS_DIR).filter((x) => x.endsWith('.hbs') && x !== 'layout.hbs')) {
      this.pages.set(file.replace(/\.hbs$/, ''), this.hb.compile(readFileSync(join(REPORT_VIEWS_DIR, file), 'utf8'), { strict: false }));
    }
  }

  /**
   * The report's content without the printable layout (the web UI embeds it in its own pages). The
   * web UI passes `links: true`: each row's tool, vendor, category or cost center becomes a link (drill-down).
   */
  renderBody(page: string, ctx: Record<string, unknown>): string {
    const tpl = this.pages.get(page);
    if (!tpl) throw new Error(`No report page "${page}"`);
    return tpl(ctx);
  }

  render(page: string, title: string, ctx: Record<string, unknown>): string {
    const tpl = this.pages.get(page);
    if (!tpl) throw new Error(`No report page "${page}"`);
    return this.layout({
      title,
      generatedAt: new Date().toISOString().slice(0, 16).replace('T', ' ') + ' UTC',
      body: new Handlebars.SafeString(tpl(ctx)),
    });
  }
}

/** Reader words for the renewal states and decisions. */
export const RENEWAL_STATE_LABELS: Record<string, string> = {
  UPCOMING: 'Upcoming',
  DECISION_DUE: 'Decision due',
  MISSED: 'Missed',
  DECIDED: 'Decided',
};
export function renewalDecisionLabel(renewal: { decision: string; seats: number | null }): string {
  return renewal.decision === 'DOWNSIZE'
    ? `Downsize to ${renewal.seats} seats`
    : (({ RENEW: 'Renew', RENEGOTIATE: 'Renegotiate', CANCEL: 'Cancel' } as Record<string, string>)[renewal.decision] ?? renewal.decision);
}
