/** The SHA-256 and size of a file, streamed: for derivatives and inspected files, where the case's other algorithms are not wanted. */
import { createHash } from "node:crypto";
import { createReadStream } from "node:fs";

export async function sha256File(file: string): Promise<{ sha256: string; size: number }> {
  const hash = createHash("sha256");
  let size = 0;
  for await (const chunk of createReadStream(file, { highWaterMark: 1 << 20 })) {
    hash.update(chunk as Buffer);
    size += (chunk as Buffer).length;
  }
  return { sha256: hash.digest("hex"), size };
}
