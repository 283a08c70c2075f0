/**
 * A pass-through stream that shows each chunk to `onChunk` on its way (to hash it, count it) and,
 * at the end, may refuse the whole with `onEnd`'s error (a digest that is not the one expected).
 */
import { Transform } from "node:stream";

export function observing(onChunk: (chunk: Buffer) => void, onEnd?: () => Error | null): Transform {
  return new Transform({
    transform(chunk: Buffer, _encoding, next) {
      onChunk(chunk);
      next(null, chunk);
    },
    flush(next) {
      next(onEnd?.() ?? null);
    },
  });
}
