/*
 * Merchant strings as card, expense and accounts-payable exports write them ("PAYPAL *HOTJAR",
 * "SQ *CANVA", "HOTJAR LTD DUBLIN IE", "Zoom.us 888-799-9666") reduced to a key that names the
 * business: lower case, no payment-processor prefix, no domain ending, phone or reference numbers,
 * legal form, trailing place or billing words. Tool and vendor names go through the same function,
 * so "Zoom" and "ZOOM.US 888-799-9666" meet at "zoom".
 */

/** Payment processors and marketplaces that prefix the real merchant ("PAYPAL *HOTJAR"). */
const PROCESSOR_PREFIX = new RegExp(
  '^(?:' +
    [
      'paypal',
      'pp',
      'sq',
      'sqsp',
      'tst',
      'sp',
      'fs',
      'fsp',
      '2co(?:\\.com)?',
      'dri',
      'paddle(?:\\.net)?',
      'stripe',
      'amzn mktp(?: us| de| uk)?',
    ]
      .concat(['apple\\.com/bill', 'gumroad', 'chargebee', 'recurly', 'ptc', 'pmt', 'in'])
      .join('|') +
    ')\\s*\\*\\s*',
);

/** Words that say how or why something was billed, never who. */
const NOISE_WORDS = new Set([
  'subscription',
  'subscr',
  'sub',
  'monthly',
  'annual',
  'yearly',
  'payment',
  'pymt',
  'billing',
  'bill',
  'invoice',
  'inv',
  'purchase',
  'renewal',
  'recurring',
  'charge',
  'plan',
  'license',
  'licence',
  'seats',
  'www',
  'help',
  'http',
  'https',
  'com',
  'online',
  'intl',
  'international',
]);

/** Legal forms. */
const LEGAL_FORMS = new Set([
  'ltd',
  'limited',
  'inc',
  'incorporated',
  'llc',
  'llp',
  'lp',
  'gmbh',
  'ag',
  'bv',
  'nv',
  'sa',
  'sas',
  'sarl',
  'srl',
  'sl',
  'slu',
  'spa',
  'ab',
  'as',
  'aps',
  'oy',
  'plc',
  'corp',
  'corporation',
  'co',
  'company',
  'pty',
  'kk',
  'technologies',
  'technology',
  'software',
  'labs',
  'holdings',
]);

/** Places exports append after the merchant (city, then state or country code). */
const PLACES = new Set([
  'dublin',
  'london',
  'amsterdam',
  'berlin',
  'paris',
  'cork',
  'san francisco',
  'sanfrancisco',
  'san jose',
  'new york',
  'boston',
  'seattle',
  'austin',
  'toronto',
  'sydney',
  'singapore',
  'vancouver',
  'barcelona',
  'madrid',
  'munich',
  'tel aviv',
  'copenhagen',
  'stockholm',
  'luxembourg',
  'cambridge',
  'chicago',
  'denver',
  'atlanta',
  'palo alto',
  'mountain view',
  'menlo park',
  'sf',
  'nyc',
]);

/** Two-letter country and US-state codes that end a card line ("DUBLIN IE", "SAN FRANCISCO CA"). */
const REGION_CODES = new Set(
  ('ie gb uk us de nl fr es it be lu ch at se dk no fi pl pt cz ca au nz sg il jp in br mx ' + 'ny ma wa tx co il ga ut or nc fl').split(
    ' ',
  ),
);

/** Domain endings: "zoom.us" → "zoom", "canva.com" → "canva". */
const DOMAIN_ENDING = /\.(?:com|net|org|io|co|us|ai|app|so|me|ly|to|de|fr|nl|ie|uk|eu|cc|tv|sh|dev|cloud|tech|xyz|co\.uk)\b/g;

/** The key a merchant, tool or vendor name is matched by ('' when nothing is left, e.g. only digits). */
export function normaliseMerchant(raw: string): string {
  const folded = raw
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .trim();
  let text = folded;
  // processor prefixes may nest ("PAYPAL *SQ *CANVA" is rare, but cheap to handle)
  for (let guard = 0; guard < 3 && PROCESSOR_PREFIX.test(text); guard++) text = text.replace(PROCESSOR_PREFIX, '');
  const key = keyOf(text);
  // only an order number after the processor ("AMZN Mktp DE*2K4H71"): the processor is the merchant
  return key || (text !== folded ? keyOf(folded.replace(/\*.*$/, '')) : '');
}

function keyOf(input: string): string {
  let text = input;
  text = text
    .replace(/https?:\/\//g, ' ')
    .replace(/\bwww\./g, ' ')
    .replace(DOMAIN_ENDING, ' ')
    .replace(/[*#/\\|_,;:()[\]{}"'!?~^%$€£+=<>]/g, ' ')
    .replace(/&/g, ' and ')
    .replace(/\./g, ' ')
    .replace(/-/g, ' ');
  let tokens = text.split(/\s+/).filter((token) => token && !isNumberLike(token));
  tokens = tokens.filter((token) => !NOISE_WORDS.has(token));
  // Trailing place and legal-form words, repeatedly: "hotjar ltd dublin ie" → "hotjar".
  for (let changed = true; changed && tokens.length > 1;) {
    changed = false;
    const last = tokens[tokens.length - 1];
    const lastTwo = tokens.slice(-2).join(' ');
    if (tokens.length > 2 && PLACES.has(lastTwo)) {
      tokens = tokens.slice(0, -2);
      changed = true;
    } else if (REGION_CODES.has(last) || PLACES.has(last) || LEGAL_FORMS.has(last)) {
      tokens = tokens.slice(0, -1);
      changed = true;
    }
  }
  if (tokens.length > 1) tokens = tokens.filter((token, index) => index === 0 || !LEGAL_FORMS.has(token));
  return tokens.join(' ').slice(0, 120);
}

/** Phone, card and reference numbers: all digits, or 3+ digits in a longer code ("inv20260412"); "on24" and "g2" stay. */
function isNumberLike(token: string): boolean {
  if (/^\d+$/.test(token)) return true;
  const digits = token.replace(/\D/g, '').length;
  return digits >= 3 && token.length >= 5;
}

/** A display name for a key nobody named: "hotjar" → "Hotjar", "later social" → "Later Social". */
export function titleCase(key: string): string {
  return key.replace(/\b[a-z]/g, (letter) => letter.toUpperCase());
}
