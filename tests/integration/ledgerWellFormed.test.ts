/**
 * Text the writer is given that is not well-formed UTF-16 (a lone surrogate, from a crafted tag or
 * note, say) is written as U+FFFD, so every reader of the ledger sees the same text and the case
 * verifies clean; well-formed text, surrogate pairs included, is written as given.
 */
import assert from "node:assert/strict";
import { readFile } from "node:fs/promises";
import path from "node:path";
import { describe, test } from "node:test";
import { verifyCase } from "../../electron/services/ledger/verifyCase.js";
import { makeCaseRoot } from "../support/caseRoot.js";

const SHA = "a".repeat(64);

describe("the ledger writer and broken UTF-16", () => {
  test("a lone surrogate in a note or a tag is written as U+FFFD; a pair is kept; the case verifies clean", async () => {
    const cases = await makeCaseRoot("S. Urrogate");
    const { dir } = await cases.withNewCase("text", ["sha256"], async ({ writer }) => {
      await writer.append([
        { type: "note.added", payload: { sha256: SHA, text: "seen at \ud800 dusk \ud83d\ude00" } },
        { type: "tags.changed", payload: { sha256: SHA, added: ["kidal\udc00", "mbera"], removed: [] } },
      ]);
    });
    const text = await readFile(path.join(dir, "ledger.jsonl"), "utf8");
    assert.doesNotMatch(text, /\\u[dD][89a-fA-F]/, "no surrogate escape is written");
    const events = text
      .trim()
      .split("\n")
      .map((line) => JSON.parse(line) as { type: string; payload: Record<string, unknown> });
    const note = events.find((e) => e.type === "note.added")!;
    assert.equal(note.payload.text, "seen at \ufffd dusk \ud83d\ude00");
    const tags = events.find((e) => e.type === "tags.changed")!;
    assert.deepEqual(tags.payload.added, ["kidal\ufffd", "mbera"]);
    const report = await verifyCase(dir);
    assert.deepEqual(report.problems, []);
  });
});
