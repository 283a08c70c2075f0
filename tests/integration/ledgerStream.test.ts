/**
 * The ledger is replayed as it is read, a chunk at a time, never as one string: the events must be
 * exactly those of the whole text split into lines, wherever a chunk ends (inside a line, inside a
 * multi-byte character, on a newline), for lines longer than a chunk, and for what is not an event:
 * small texts read at every chunk size, and one past three chunks of the real size.
 */
import assert from "node:assert/strict";
import { mkdir, symlink, writeFile } from "node:fs/promises";
import path from "node:path";
import { describe, test } from "node:test";
import { readLedgerEvents } from "../../electron/services/vault/caseStore.js";
import { forEachLedgerEvent, parseLedgerLines } from "../../electron/services/vault/ledgerLines.js";
import { tempDir } from "../support/fixtures.js";

const MIB = 1024 * 1024;

async function caseWithLedger(text: string | Buffer): Promise<string> {
  const dir = path.join(await tempDir(), "case");
  await mkdir(dir);
  await writeFile(path.join(dir, "ledger.jsonl"), text);
  return dir;
}

async function streamed(dir: string, chunkBytes?: number): Promise<unknown[]> {
  const events: unknown[] = [];
  await forEachLedgerEvent(dir, (event) => events.push(event), chunkBytes);
  return events;
}

describe("the ledger read a chunk at a time", () => {
  test("gives the events of the whole text, whatever falls on a chunk's edge", async () => {
    const lines: string[] = [];
    let bytes = 0;
    // Lines of many lengths and of two- to four-byte characters, past three 8 MiB chunks, so that
    // chunk edges fall inside lines and inside characters; among them what is not an event.
    for (let seq = 0; bytes < 26 * MIB; seq++) {
      const note = "é€𝄞 Kidal ".repeat(1 + ((seq * 7919) % 900));
      const line =
        seq % 97 === 5
          ? "{not json"
          : seq % 101 === 7
            ? ""
            : JSON.stringify({ seq, type: "note.added", payload: { text: note } });
      lines.push(line);
      bytes += Buffer.byteLength(line) + 1;
    }
    // One line longer than a chunk, and a last line without its newline.
    lines.push(JSON.stringify({ seq: -1, type: "note.added", payload: { text: "x".repeat(9 * MIB) } }));
    const text = `${lines.join("\n")}\n${JSON.stringify({ seq: -2, type: "last" })}`;
    const dir = await caseWithLedger(text);
    const expected = parseLedgerLines(text);
    const events = await streamed(dir);
    assert.equal(events.length, expected.length);
    assert.deepEqual(events, expected);
    assert.deepEqual((events.at(-1) as { seq: number }).seq, -2, "the last line without a newline counts");
    assert.deepEqual(await readLedgerEvents(dir), expected);
  });

  test("every chunk size from 1 to 40 bytes gives the events of the whole text", async () => {
    // Chunk edges on a newline, inside a character, inside a line, lines longer than a chunk,
    // chunks holding no newline at all, empty lines, lines that are not JSON, no newline at the end.
    const text = [
      JSON.stringify({ seq: 1, type: "a", payload: { text: "Mbera 𝄞 é" } }),
      "",
      "{not json",
      JSON.stringify({ seq: 2, type: "b", payload: { text: "x".repeat(90) } }),
      "",
      "",
      JSON.stringify({ seq: 3, type: "c", payload: { text: "\u202Eevil\u0007" } }),
      JSON.stringify({ seq: 4, type: "d" }),
    ].join("\n");
    const dir = await caseWithLedger(text);
    const expected = parseLedgerLines(text);
    assert.deepEqual(
      expected.map((e) => e.seq),
      [1, 2, 3, 4],
    );
    for (let chunk = 1; chunk <= 40; chunk++) {
      assert.deepEqual(await streamed(dir, chunk), expected, `chunks of ${chunk} bytes`);
    }
    const withEnd = await caseWithLedger(`${text}\n`);
    for (let chunk = 1; chunk <= 40; chunk++) {
      assert.deepEqual(await streamed(withEnd, chunk), expected, `chunks of ${chunk} bytes, ending with a newline`);
    }
  });

  test("bytes that are not UTF-8 and stray carriage returns are read as the whole text would be", async () => {
    const good = Buffer.from(`${JSON.stringify({ seq: 1, type: "a" })}\r\n`);
    const broken = Buffer.from([0x7b, 0x22, 0xe2, 0x82, 0x0a]); // `{"` and a character cut short
    const tail = Buffer.from(`${JSON.stringify({ seq: 2, type: "b" })}\n\n`);
    const all = Buffer.concat([good, broken, tail]);
    const dir = await caseWithLedger(all);
    for (let chunk = 1; chunk <= 16; chunk++) {
      assert.deepEqual(await streamed(dir, chunk), parseLedgerLines(all.toString("utf8")), `chunks of ${chunk} bytes`);
    }
    assert.deepEqual(
      (await streamed(dir)).map((e) => (e as { seq: number }).seq),
      [1, 2],
    );
  });

  test("an empty ledger has no events; a ledger that is a link is not read", async () => {
    assert.deepEqual(await streamed(await caseWithLedger("")), []);
    const dir = await caseWithLedger("");
    const elsewhere = path.join(path.dirname(dir), "elsewhere.jsonl");
    await writeFile(elsewhere, `${JSON.stringify({ seq: 0, type: "planted" })}\n`);
    const linked = path.join(path.dirname(dir), "linked");
    await mkdir(linked);
    await symlink(elsewhere, path.join(linked, "ledger.jsonl"));
    await assert.rejects(streamed(linked), (error: Error) => {
      assert.doesNotMatch(error.message, /\n/);
      assert.match(error.message, /ledger\.jsonl/);
      return true;
    });
  });
});
