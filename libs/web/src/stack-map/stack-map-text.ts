/**
 * Text on the stack map fitted to its boxes by whole words: a heading wraps onto at most two lines
 * and, when even that is too short, ends with "…" after the last whole word (the full title stays in
 * the element's tooltip and accessible name). Widths are estimated per character (the map's fonts
 * are the system UI fonts, so this is a conservative average rather than a measurement).
 */

/** Characters of an upper-case 11 px heading that fit the box column (260 px, ~7.6 px a character). */
export const HEADING_LINE_CHARS = 32;
export const HEADING_MAX_LINES = 2;
/** Characters of a 13 px tool name beside its flag ("shadow", "silo"). */
export const NAME_CHARS = 26;

export function escapeXml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

/**
 * `text` as lines of at most `width` characters, breaking only between words. A single word longer
 * than a line keeps its own line whole (it is never cut). At most `maxLines` lines: when the text
 * needs more, the last line ends with "…" after the last word that fits.
 */
export function wrapWords(text: string, width: number, maxLines: number): string[] {
  const words = text.trim().split(/\s+/).filter(Boolean);
  const lines: string[] = [];
  let current = '';
  for (const word of words) {
    if (!current) current = word;
    else if (current.length + 1 + word.length <= width) current += ` ${word}`;
    else {
      lines.push(current);
      current = word;
    }
  }
  if (current) lines.push(current);
  if (lines.length <= maxLines) return lines;
  const kept = lines.slice(0, maxLines);
  const lastWords = kept[maxLines - 1].split(' ');
  while (lastWords.length > 1 && lastWords.join(' ').length + 1 > width) lastWords.pop();
  kept[maxLines - 1] = `${lastWords.join(' ')}…`;
  return kept;
}

export const wrapHeading = (name: string): string[] => wrapWords(name, HEADING_LINE_CHARS, HEADING_MAX_LINES);

/** A tool name on one line: whole words and "…" when it is too long (a single over-long word is shortened). */
export function abbreviateName(name: string, width = NAME_CHARS): string {
  const trimmed = name.trim();
  if (trimmed.length <= width) return trimmed;
  const [line] = wrapWords(trimmed, width - 1, 1);
  return line.length <= width ? line : `${trimmed.slice(0, width - 1)}…`;
}

/** "A, B, C and 4 more" — a bounded list of names for a tooltip or a screen reader. */
export function nameList(names: string[], max = 8): string {
  if (names.length <= max) return names.join(', ');
  return `${names.slice(0, max).join(', ')} and ${names.length - max} more`;
}
