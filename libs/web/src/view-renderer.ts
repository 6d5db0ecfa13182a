import { Inject, Injectable } from '@nestjs/common';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import Handlebars from 'handlebars';
import { APP_CONFIG, AppConfig, formatMinor, label, labelHelper, minorDigits } from '@stackgate/platform';
import { cardTables } from './table-cards';

export const VIEWS_DIR = join(__dirname, 'views');
export const ASSETS_DIR = join(__dirname, 'assets');

/** Formats a money JSON ({amount, currency}) for a reader: "€12,000.00" — exact, from the decimal string. */
export function formatMoneyForReader(money: { amount: string; currency: string } | null | undefined, locale = 'en-GB'): string {
  if (!money) return '—';
  const digits = minorDigits(money.currency);
  const neg = money.amount.startsWith('-');
  const [whole, frac = ''] = money.amount.replace('-', '').split('.');
  const grouped = whole.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  const symbol =
    new Intl.NumberFormat(locale, { style: 'currency', currency: money.currency, currencyDisplay: 'narrowSymbol' })
      .formatToParts(0)
      .find((p) => p.type === 'currency')?.value ?? money.currency;
  return `${neg ? '−' : ''}${symbol}${grouped}${digits ? '.' + frac.padEnd(digits, '0') : ''}`;
}

/**
 * Server-side Handlebars: a layout, partials and one template per page, compiled once. Pages are
 * rendered with the signed-in user, the CSRF token and the navigation.
 */
@Injectable()
export class ViewRenderer {
  private readonly hb = Handlebars.create();
  private readonly pages = new Map<string, Handlebars.TemplateDelegate>();
  private layout!: Handlebars.TemplateDelegate;

  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {
    this.registerHelpers();
    this.load();
  }

  private load(): void {
    const partialsDir = join(VIEWS_DIR, 'partials');
    if (existsSync(partialsDir)) {
      for (const file of readdirSync(partialsDir).filter((x) => x.endsWith('.hbs'))) {
        this.hb.registerPartial(file.replace(/\.hbs$/, ''), readFileSync(join(partialsDir, file), 'utf8'));
      }
    }
    this.layout = this.hb.compile(readFileSync(join(VIEWS_DIR, 'layouts', 'main.hbs'), 'utf8'), { strict: false });
    const pagesDir = join(VIEWS_DIR, 'pages');
    for (const file of readdirSync(pagesDir).filter((x) => x.endsWith('.hbs'))) {
      this.pages.set(file.replace(/\.hbs$/, ''), this.hb.compile(readFileSync(join(pagesDir, file), 'utf8'), { strict: false }));
    }
  }

  private registerHelpers(): void {
    const hb = this.hb;
    hb.registerHelper('eq', (a: unknown, b: unknown) => a === b);
    hb.registerHelper('ne', (a: unknown, b: unknown) => a !== b);
    hb.registerHelper('and', (...args: unknown[]) => args.slice(0, -1).every(Boolean));
    hb.registerHelper('or', (...args: unknown[]) => args.slice(0, -1).some(Boolean));
    hb.registerHelper('not', (a: unknown) => !a);
    hb.registerHelper('includes', (list: unknown, v: unknown) => Array.isArray(list) && list.includes(v));
    hb.registerHelper('money', (m: { amount: string; currency: string } | null) => formatMoneyForReader(m));
    hb.registerHelper('minor', (minor: bigint | string | number, currency: string) =>
      formatMoneyForReader({ amount: formatMinor(BigInt(minor), currency), currency }),
    );
    hb.registerHelper('date', (d: Date | string | null) => (d ? new Date(d).toISOString().slice(0, 10) : '—'));
    hb.registerHelper('datetime', (d: Date | string | null) =>
      d ? new Date(d).toISOString().slice(0, 16).replace('T', ' ') + ' UTC' : '—',
    );
    hb.registerHelper('humanize', (value: string | null) => {
      if (!value) return '—';
      const text = String(value);
      if (['IT', 'CMO', 'CIO', 'SSO', 'DPA'].includes(text)) return text;
      return text
        .toLowerCase()
        .replace(/_/g, ' ')
        .replace(/\bsoc2\b/g, 'SOC 2')
        .replace(/\biso27001\b/g, 'ISO 27001')
        .replace(/^\w/, (c) => c.toUpperCase());
    });
    // The label catalogue (@stackgate/platform labels): {{label code}} or {{label code "Kind"}}.
    hb.registerHelper('label', labelHelper);
    // A list of codes in words, comma-separated: {{labels user.roles "Role"}}.
    hb.registerHelper('labels', (list: unknown, kind: unknown) =>
      Array.isArray(list) ? list.map((code) => label(String(code), typeof kind === 'string' ? kind : undefined)).join(', ') : '',
    );
    hb.registerHelper('join', (list: unknown, sep: unknown) =>
      Array.isArray(list) ? list.join(typeof sep === 'string' ? sep : ', ') : '',
    );
    hb.registerHelper('json', (v: unknown) => JSON.stringify(v));
    hb.registerHelper('selected', (a: unknown, b: unknown) => (String(a) === String(b) ? 'selected' : ''));
    hb.registerHelper('checked', (v: unknown) => (v ? 'checked' : ''));
    hb.registerHelper('add', (a: number, b: number) => Number(a) + Number(b));
    hb.registerHelper('concat', (...args: unknown[]) => args.slice(0, -1).map(String).join(''));
    hb.registerHelper(
      'badge',
      (s: string) =>
        new Handlebars.SafeString(
          `<span class="badge badge-${String(s)
            .toLowerCase()
            .replace(/[^a-z_]/g, '')}">${Handlebars.escapeExpression(String(s).replace(/_/g, ' ').toLowerCase())}</span>`,
        ),
    );
  }

  render(page: string, ctx: Record<string, unknown>): string {
    const tpl = this.pages.get(page);
    if (!tpl) throw new Error(`No page template "${page}"`);
    const body = tpl(ctx);
    // Data tables read as cards at phone width (see table-cards.ts).
    return cardTables(this.layout({ ...ctx, body, productName: 'Stackgate' }));
  }
}
