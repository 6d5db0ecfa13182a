import type { ServerResponse } from 'node:http';

/** What writeJsonPieces needs of a response (an http.ServerResponse, or a test double). */
export type JsonSink = Pick<ServerResponse, 'write' | 'end' | 'once' | 'off' | 'destroyed' | 'writableEnded'>;

/**
 * An array member of a value given to jsonPieces whose items are rendered through `map`: the mapped items
 * exist one chunk at a time, so a large answer never holds a second copy of its rows as objects.
 */
export class MappedItems<T> {
  constructor(
    readonly items: readonly T[],
    readonly map: (item: T) => unknown,
  ) {}
}

/**
 * The text JSON.stringify(value) would produce for `value` (an object whose large members are arrays or
 * MappedItems), in pieces of `itemsPerChunk` array items, one at a time: the whole text never exists as
 * one string.
 */
export function* jsonPieces(value: object, itemsPerChunk = 500): Generator<string> {
  const entries = Object.entries(value).filter(([, v]) => v !== undefined && typeof v !== 'function');
  yield '{';
  for (const [index, [key, field]] of entries.entries()) {
    yield `${index ? ',' : ''}${JSON.stringify(key)}:`;
    const mapped = field instanceof MappedItems ? field : undefined;
    const items: unknown = mapped ? mapped.items : field;
    if (!Array.isArray(items)) {
      yield JSON.stringify(field);
      continue;
    }
    yield '[';
    for (let offset = 0; offset < items.length; offset += itemsPerChunk) {
      const chunk = items.slice(offset, offset + itemsPerChunk);
      const part = JSON.stringify(mapped ? chunk.map((item) => mapped.map(item)) : chunk);
      yield `${offset ? ',' : ''}${part.slice(1, -1)}`;
    }
    yield ']';
  }
  yield '}';
}

/**
 * Writes the pieces of a JSON text (jsonPieces, or Buffers of them rendered once for several answers),
 * waiting whenever the socket is full, then ends the response. A slow reader holds one piece, not the whole
 * answer. Stops quietly when the client goes away.
 */
export async function writeJsonPieces(res: JsonSink, pieces: Iterable<string | Buffer>): Promise<void> {
  const gone = () => res.destroyed || res.writableEnded;
  for (const piece of pieces) {
    if (gone()) return;
    if (res.write(piece)) continue;
    await new Promise<void>((resolve) => {
      const done = () => {
        res.off('drain', done);
        res.off('close', done);
        resolve();
      };
      res.once('drain', done);
      res.once('close', done);
    });
  }
  if (!gone()) res.end();
}
