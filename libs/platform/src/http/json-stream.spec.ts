import { EventEmitter } from 'node:events';
import fc from 'fast-check';
import { jsonPieces, JsonSink, MappedItems, writeJsonPieces } from './json-stream';

/** A response double that says "full" every `every` writes and drains on the next tick. */
function sink(every = 0) {
  const emitter = new EventEmitter() as EventEmitter & { chunks: string[]; destroyed: boolean; writableEnded: boolean };
  emitter.chunks = [];
  emitter.destroyed = false;
  emitter.writableEnded = false;
  let writes = 0;
  const res = Object.assign(emitter, {
    write: (chunk: string) => {
      emitter.chunks.push(chunk);
      writes++;
      if (every && writes % every === 0) {
        setImmediate(() => emitter.emit('drain'));
        return false;
      }
      return true;
    },
    end: (chunk: string) => {
      emitter.chunks.push(chunk);
      emitter.writableEnded = true;
    },
  });
  return res as unknown as JsonSink & { chunks: string[]; destroyed: boolean; emit: (ev: string) => boolean };
}

describe('jsonPieces and writeJsonPieces', () => {
  it('writes exactly what JSON.stringify writes, for any arrays, chunk sizes and backpressure (property)', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.record({
          nodes: fc.array(fc.record({ id: fc.uuid(), name: fc.string(), flag: fc.boolean(), n: fc.option(fc.integer()) }), {
            maxLength: 30,
          }),
          edges: fc.array(fc.jsonValue(), { maxLength: 20 }),
          categories: fc.array(fc.string(), { maxLength: 3 }),
          meta: fc.option(fc.record({ a: fc.string() })),
        }),
        fc.integer({ min: 1, max: 7 }),
        fc.integer({ min: 0, max: 3 }),
        async (value, chunk, every) => {
          const res = sink(every);
          await writeJsonPieces(res, jsonPieces(value, chunk));
          expect(res.chunks.join('')).toBe(JSON.stringify(value));
        },
      ),
    );
  });

  it('renders MappedItems as JSON.stringify renders the mapped array, calling map once per item (property)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.record({ id: fc.uuid(), n: fc.integer(), flag: fc.option(fc.boolean()) }), { maxLength: 40 }),
        fc.array(fc.string(), { maxLength: 3 }),
        fc.integer({ min: 1, max: 9 }),
        (rows, categories, chunk) => {
          let calls = 0;
          const map = (row: (typeof rows)[number]) => {
            calls++;
            return { id: row.id, twice: row.n * 2, flag: row.flag === true };
          };
          const text = [...jsonPieces({ nodes: new MappedItems(rows, map), categories }, chunk)].join('');
          expect(calls).toBe(rows.length);
          expect(text).toBe(JSON.stringify({ nodes: rows.map(map), categories }));
        },
      ),
    );
  });

  it('stops writing when the client has gone', async () => {
    const res = sink(1);
    const done = writeJsonPieces(res, jsonPieces({ nodes: Array.from({ length: 100 }, (_, i) => i) }, 10));
    res.destroyed = true;
    res.emit('close');
    await done;
    expect(res.chunks.length).toBeLessThan(5);
    expect(res.chunks.join('')).not.toContain('}');
  });
});
