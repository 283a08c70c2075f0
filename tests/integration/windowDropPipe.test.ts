/**
 * The DevTools pipe client (electron/host/cdpPipe.ts) against a browser that misbehaves: messages
 * split anywhere, garbage between them, refusals with several lines, answers to no command, a
 * message too large, the browser gone with commands waiting. The "browser" is a pair of streams
 * written as Chromium writes its fd 4 (JSON texts ended by NUL).
 */
import assert from "node:assert/strict";
import { PassThrough } from "node:stream";
import { describe, test } from "node:test";
import { CdpPipe } from "../../electron/host/cdpPipe.js";

function browser() {
  const toBrowser = new PassThrough();
  const fromBrowser = new PassThrough();
  const sent: { id: number; method: string; sessionId?: string }[] = [];
  let text = "";
  toBrowser.on("data", (chunk: Buffer) => {
    text += chunk.toString();
    for (let end = text.indexOf("\0"); end >= 0; end = text.indexOf("\0")) {
      sent.push(JSON.parse(text.slice(0, end)) as (typeof sent)[number]);
      text = text.slice(end + 1);
    }
  });
  return { pipe: new CdpPipe(toBrowser, fromBrowser), fromBrowser, sent };
}

const tick = () => new Promise((resolve) => setImmediate(resolve));

describe("the DevTools pipe client", () => {
  test("answers split anywhere, garbage and stray answers skipped, refusals as one line", async () => {
    const { pipe, fromBrowser, sent } = browser();
    const first = pipe.send("Target.getTargets");
    const second = pipe.send("Runtime.evaluate", { expression: "1" }, "S1");
    await tick();
    assert.deepEqual(
      sent.map((m) => [m.id, m.method, m.sessionId]),
      [
        [1, "Target.getTargets", undefined],
        [2, "Runtime.evaluate", "S1"],
      ],
    );
    const wire =
      "not json\0" +
      JSON.stringify({ method: "Target.targetCreated", params: {} }) +
      "\0" +
      JSON.stringify({ id: 99, result: {} }) +
      "\0" +
      JSON.stringify({ id: 2, error: { message: "Could not find\nnode <b>x</b>" } }) +
      "\0" +
      JSON.stringify({ id: 1, result: { targetInfos: [] } }) +
      "\0";
    for (let at = 0; at < wire.length; at += 7) fromBrowser.write(wire.slice(at, at + 7));
    assert.deepEqual(await first, { targetInfos: [] });
    await assert.rejects(second, { message: "the browser refused: Could not find" });
    assert.equal(pipe.isOpen, true);
  });

  test("characters split between chunks arrive whole; many answers in one chunk all settle", async () => {
    const { pipe, fromBrowser } = browser();
    const named = "/home/examiner/dump/\u202egpj.mp4 \u00fc\u4e2d\ud83d\udcf7.jpg";
    const first = pipe.send("DOM.getFileInfo", { objectId: "1" });
    const wire = Buffer.from(JSON.stringify({ id: 1, result: { path: named } }) + "\0");
    for (let at = 0; at < wire.length; at++) fromBrowser.write(wire.subarray(at, at + 1));
    assert.deepEqual(await first, { path: named });

    const many = Array.from({ length: 500 }, (_, i) => pipe.send("DOM.getFileInfo", { objectId: String(i) }));
    const answers = Array.from({ length: 500 }, (_, i) => JSON.stringify({ id: i + 2, result: { n: i } }) + "\0");
    // Half the answers in one chunk, the rest with a message cut across the next two.
    const text = answers.join("");
    const cut = text.length / 2 + 5;
    fromBrowser.write(text.slice(0, cut));
    fromBrowser.write(text.slice(cut, cut + 3));
    fromBrowser.write(text.slice(cut + 3));
    assert.deepEqual(
      (await Promise.all(many)).map((r) => r.n),
      answers.map((_, i) => i),
    );
  });

  test("the browser gone fails waiting and later commands with one reason", async () => {
    const { pipe, fromBrowser } = browser();
    const waiting = pipe.send("DOM.getFileInfo", { objectId: "1" });
    fromBrowser.destroy();
    await assert.rejects(waiting, { message: "the browser has closed" });
    await assert.rejects(pipe.send("Target.getTargets"), { message: "the browser has closed" });
    assert.equal(pipe.isOpen, false);
  });

  test("a message too large to read closes the pipe", async () => {
    const { pipe, fromBrowser } = browser();
    const waiting = pipe.send("Runtime.evaluate", { expression: "x" });
    fromBrowser.write("x".repeat(17 * 1024 * 1024));
    await assert.rejects(waiting, { message: "the browser sent a message too large to read" });
    assert.equal(pipe.isOpen, false);
  });
});
