import { plainToInstance } from 'class-transformer';
import { validate } from 'class-validator';
import { hasForbiddenControlChars, StringArrayField, StringField } from './fields';

class Sample {
  @StringField({ max: 200 }) title: string;
  @StringField({ nullable: true, max: 2000, multiline: true }) description?: string | null;
  @StringArrayField({ optional: true, maxItems: 5, maxLength: 50 }) tags?: string[];
}

const errorsOf = async (plain: object) => {
  const errors = await validate(plainToInstance(Sample, plain) as object);
  return Object.fromEntries(errors.map((e) => [e.property, Object.values(e.constraints ?? {})]));
};

const C0 = Array.from({ length: 0x20 }, (_, i) => String.fromCharCode(i));
const C1 = Array.from({ length: 0x21 }, (_, i) => String.fromCharCode(0x7f + i));

describe('text fields and control characters', () => {
  it('refuses every C0/C1 control character and U+2028/U+2029 inside a one-line field', () => {
    for (const char of [...C0, ...C1, '\u2028', '\u2029']) expect(hasForbiddenControlChars(`a${char}b`)).toBe(true);
    for (const ok of ['Plain title', 'Ünïcødé — “quotes” ✓', 'emoji 🚀', 'a\u00a0b', '=SUM(1)'])
      expect(hasForbiddenControlChars(ok)).toBe(false);
  });

  it('lets a multi-line field keep LF, CRLF and tabs, and nothing else', () => {
    for (const ok of ['line 1\nline 2', 'line 1\r\nline 2', 'a\tb', 'x\n\n\ty'])
      expect(hasForbiddenControlChars(ok, { multiline: true })).toBe(false);
    const forbidden = [...C0, ...C1, '\u2028', '\u2029'].filter((c) => c !== '\n' && c !== '\t');
    for (const char of forbidden) expect(hasForbiddenControlChars(`a${char}b`, { multiline: true })).toBe(true);
    expect(hasForbiddenControlChars('a\rb', { multiline: true })).toBe(true); // a lone CR is not a line break
  });

  it('answers a field error for a CR/LF header injection in a title, and for a tag', async () => {
    expect(await errorsOf({ title: 'Need a tool\r\nBcc: everyone@example.com' })).toEqual({
      title: ['title must be a single line without control characters'],
    });
    expect(await errorsOf({ title: 'ok', tags: ['fine', 'bad\u0007'] })).toEqual({
      tags: ['tags must be a single line without control characters'],
    });
    expect(await errorsOf({ title: 'ok', description: 'para 1\r\n\r\n\tpara 2' })).toEqual({});
    expect(await errorsOf({ title: 'ok', description: 'nul\u0000byte' })).toEqual({
      description: ['description must not contain control characters other than line breaks and tabs'],
    });
  });

  it('trims first: surrounding whitespace (even a trailing newline) is dropped, not refused', async () => {
    const dto = plainToInstance(Sample, { title: '  Title\n' });
    expect(await validate(dto)).toEqual([]);
    expect(dto.title).toBe('Title');
  });
});
