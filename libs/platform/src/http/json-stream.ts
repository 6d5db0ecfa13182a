import type { ServerResponse } from 'node:http';

/** What writeJsonStreamed needs of a response (an http.ServerResponse, or a test double). */
export type JsonSink = Pick<ServerResponse, 'write' | 'end' | 'once' | 'off' | 'destroyed' | 'writableEnded'>;

/**
 * Writes `value` (an object whose large members are arrays) as exactly the text JSON.stringify(value)
 * would produce, but in pieces of `itemsPerChunk` array items, waiting whenever the socket is full.
 * A 7 MB answer then never exists as one string and one buffer per request, and a slow reader holds
 * one piece, not the whole answer. Stops quietly when the client goes away.
 */
export async function writeJsonStreamed(res: JsonSink, value: Record<string, unknown>, itemsPerChunk = 500): Promise<void> {
  const gone = () => res.destroyed || res.writableEnded;
  const write = async (text: string) => {
    if (gone() || res.write(text)) return;
    await new Promise<void>((resolve) => {
      const done = () => {
        res.off('drain', done);
        res.off('close', done);
        resolve();
      };
      res.once('drain', done);
      res.once('close', done);
    });
  };
  const entries = Object.entries(value).filter(([, v]) => v !== undefined && typeof v !== 'function');
  await write('{');
  for (const [index, [key, field]] of entries.entries()) {
    await write(`${index ? ',' : ''}${JSON.stringify(key)}:`);
    if (!Array.isArray(field)) {
      await write(JSON.stringify(field));
      continue;
    }
    await write('[');
    for (let offset = 0; offset < field.length; offset += itemsPerChunk) {
      const part = JSON.stringify(field.slice(offset, offset + itemsPerChunk));
      await write(`${offset ? ',' : ''}${part.slice(1, -1)}`);
      if (gone()) return;
    }
    await write(']');
  }
  if (!gone()) res.end('}');
}
