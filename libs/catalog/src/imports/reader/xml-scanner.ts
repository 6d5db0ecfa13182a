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

export function decodeEntities(text: string): string {
  if (!text.includes('&')) return text;
  return text.replace(/&(#x[0-9a-fA-F]+|#[0-9]+|[a-zA-Z]+);/g, (whole, entity: string) => {
    if (entity[0] === '#') {
      const code = entity[1] === 'x' || entity[1] === 'X' ? parseInt(entity.slice(2), 16) : parseInt(entity.slice(1), 10);
      return code >= 0 && code <= 0x10ffff ? String.fromCodePoint(code) : whole;
    }
    return ENTITIES[entity] ?? whole;
  });
}

const localName = (qname: string) => {
  const colon = qname.indexOf(':');
  return colon < 0 ? qname : qname.slice(colon + 1);
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
    let text = this.decoder.write(chunk);
    if (!this.started && text.length) {
      this.started = true;
      if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
    }
    this.buf += text;
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
    const buffer = this.buf;
    let pos = 0;
    const length = buffer.length;
    while (pos < length) {
      const lt = buffer.indexOf('<', pos);
      if (lt < 0) {
        // Text up to the end, minus an entity that may continue in the next chunk.
        const amp = buffer.lastIndexOf('&');
        const cut = !final && amp >= pos && buffer.indexOf(';', amp) < 0 && length - amp < 12 ? amp : length;
        if (cut > pos) this.handler.text(decodeEntities(buffer.slice(pos, cut)));
        pos = cut;
        break;
      }
      if (lt > pos) this.handler.text(decodeEntities(buffer.slice(pos, lt)));
      pos = lt;
      const next = buffer.charCodeAt(lt + 1);
      let end = -1;
      if (next === 0x2f /* / */) {
        END_TAG.lastIndex = lt;
        const match = END_TAG.exec(buffer);
        if (match) {
          this.handler.close(localName(match[1]));
          end = END_TAG.lastIndex;
        }
      } else if (next === 0x21 /* ! */) {
        if (buffer.startsWith('<!--', lt)) {
          const close = buffer.indexOf('-->', lt + 4);
          if (close >= 0) end = close + 3;
        } else if (buffer.startsWith('<![CDATA[', lt)) {
          const close = buffer.indexOf(']]>', lt + 9);
          if (close >= 0) {
            this.handler.text(buffer.slice(lt + 9, close));
            end = close + 3;
          }
        } else if (length - lt >= 9 || final) {
          throw this.broken('a document type declaration is not allowed');
        }
      } else if (next === 0x3f /* ? */) {
        const close = buffer.indexOf('?>', lt + 2);
        if (close >= 0) end = close + 2;
      } else if (!Number.isNaN(next)) {
        START_TAG.lastIndex = lt;
        const startTag = START_TAG.exec(buffer);
        if (startTag) {
          const attrs: Record<string, string> = {};
          if (startTag[2]) {
            ATTR.lastIndex = 0;
            for (let attr = ATTR.exec(startTag[2]); attr; attr = ATTR.exec(startTag[2]))
              attrs[localName(attr[1])] = decodeEntities(attr[2] ?? attr[3] ?? '');
          }
          this.handler.open(localName(startTag[1]), attrs, startTag[3] === '/');
          end = START_TAG.lastIndex;
        }
      }
      if (end < 0) {
        // An incomplete (or malformed) piece of markup: wait for more, within limits.
        if (final) throw this.broken('a tag is not closed');
        if (length - lt > this.maxToken) throw this.broken(`markup longer than ${this.maxToken} characters`);
        break;
      }
      pos = end;
    }
    this.buf = pos >= length ? '' : buffer.slice(pos);
  }
}

/** Feeds a part's chunks through a scanner. */
export async function scanXml(chunks: AsyncIterable<Buffer>, part: string, handler: XmlHandler): Promise<void> {
  const scanner = new XmlScanner(handler, part);
  for await (const chunk of chunks) scanner.write(chunk);
  scanner.end();
}
