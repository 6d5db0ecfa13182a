import { StringDecoder } from 'node:string_decoder';
import { SheetFormatError } from './sheet-limits';

/*
 * A streaming XML tokenizer for the parts of an XLSX package: start tags (with attributes), end
 * tags and text, fed chunk by chunk. Text is handed on in pieces as it streams past, so text the
 * reader does not want (whitespace, formulas) is never accumulated; markup (a tag, a comment, a
 * CDATA section) may not exceed `maxToken` characters. No DTD is accepted, so no entity can expand.
 * Element and attribute names lose their namespace prefix ("x:c" → "c").
 */

export interface XmlHandler {
  open(name: string, attrs: Record<string, string>, selfClosing: boolean): void;
  close(name: string): void;
  text(text: string): void;
}

const ENTITIES: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" };
const START_TAG = /<([^\s/>!?]+)((?:\s+[^\s=/>]+\s*=\s*(?:"[^"]*"|'[^']*'))*)\s*(\/?)>/y;
const ATTR = /([^\s=/>]+)\s*=\s*(?:"([^"]*)"|'([^']*)')/g;
const END_TAG = /<\/([^\s>]+)\s*>/y;

export function decodeEntities(s: string): string {
  if (!s.includes('&')) return s;
  return s.replace(/&(#x[0-9a-fA-F]+|#[0-9]+|[a-zA-Z]+);/g, (whole, e: string) => {
    if (e[0] === '#') {
      const code = e[1] === 'x' || e[1] === 'X' ? parseInt(e.slice(2), 16) : parseInt(e.slice(1), 10);
      return code >= 0 && code <= 0x10ffff ? String.fromCodePoint(code) : whole;
    }
    return ENTITIES[e] ?? whole;
  });
}

const localName = (qname: string) => {
  const i = qname.indexOf(':');
  return i < 0 ? qname : qname.slice(i + 1);
};

export class XmlScanner {
  private buf = '';
  private readonly decoder = new StringDecoder('utf8');
  private started = false;

  constructor(
    private readonly handler: XmlHandler,
    private readonly part: string,
    private readonly maxToken = 256 * 1024,
  ) {}

  write(chunk: Buffer): void {
    let s = this.decoder.write(chunk);
    if (!this.started && s.length) {
      this.started = true;
      if (s.charCodeAt(0) === 0xfeff) s = s.slice(1);
    }
    this.buf += s;
    this.drain(false);
  }

  end(): void {
    this.buf += this.decoder.end();
    this.drain(true);
    if (this.buf.trim() !== '') throw this.broken('it ends in the middle of a tag');
  }

  private broken(why: string): SheetFormatError {
    return new SheetFormatError(`The XLSX file could not be read: ${this.part} is not well-formed XML (${why})`);
  }

  private drain(final: boolean): void {
    const b = this.buf;
    let pos = 0;
    const n = b.length;
    while (pos < n) {
      const lt = b.indexOf('<', pos);
      if (lt < 0) {
        // Text up to the end, minus an entity that may continue in the next chunk.
        const amp = b.lastIndexOf('&');
        const cut = !final && amp >= pos && b.indexOf(';', amp) < 0 && n - amp < 12 ? amp : n;
        if (cut > pos) this.handler.text(decodeEntities(b.slice(pos, cut)));
        pos = cut;
        break;
      }
      if (lt > pos) this.handler.text(decodeEntities(b.slice(pos, lt)));
      pos = lt;
      const next = b.charCodeAt(lt + 1);
      let end = -1;
      if (next === 0x2f /* / */) {
        END_TAG.lastIndex = lt;
        const m = END_TAG.exec(b);
        if (m) {
          this.handler.close(localName(m[1]));
          end = END_TAG.lastIndex;
        }
      } else if (next === 0x21 /* ! */) {
        if (b.startsWith('<!--', lt)) {
          const e = b.indexOf('-->', lt + 4);
          if (e >= 0) end = e + 3;
        } else if (b.startsWith('<![CDATA[', lt)) {
          const e = b.indexOf(']]>', lt + 9);
          if (e >= 0) {
            this.handler.text(b.slice(lt + 9, e));
            end = e + 3;
          }
        } else if (n - lt >= 9 || final) {
          throw this.broken('a document type declaration is not allowed');
        }
      } else if (next === 0x3f /* ? */) {
        const e = b.indexOf('?>', lt + 2);
        if (e >= 0) end = e + 2;
      } else if (!Number.isNaN(next)) {
        START_TAG.lastIndex = lt;
        const m = START_TAG.exec(b);
        if (m) {
          const attrs: Record<string, string> = {};
          if (m[2]) {
            ATTR.lastIndex = 0;
            for (let a = ATTR.exec(m[2]); a; a = ATTR.exec(m[2])) attrs[localName(a[1])] = decodeEntities(a[2] ?? a[3] ?? '');
          }
          this.handler.open(localName(m[1]), attrs, m[3] === '/');
          end = START_TAG.lastIndex;
        }
      }
      if (end < 0) {
        // An incomplete (or malformed) piece of markup: wait for more, within limits.
        if (final) throw this.broken('a tag is not closed');
        if (n - lt > this.maxToken) throw this.broken(`markup longer than ${this.maxToken} characters`);
        break;
      }
      pos = end;
    }
    this.buf = pos >= n ? '' : b.slice(pos);
  }
}

/** Feeds a part's chunks through a scanner. */
export async function scanXml(chunks: AsyncIterable<Buffer>, part: string, handler: XmlHandler): Promise<void> {
  const scanner = new XmlScanner(handler, part);
  for await (const chunk of chunks) scanner.write(chunk);
  scanner.end();
}
