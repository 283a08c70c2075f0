/** The pure ledger checker on ledgers built in memory with real Ed25519 keys. */
import assert from "node:assert/strict";
import { test } from "node:test";
import { nodeLedgerCrypto } from "../../electron/services/ledger/nodeLedgerCrypto.js";
import type { LedgerEvent } from "../../shared/ledger/events.js";
import { establishTrust } from "../../shared/ledger/examinerTrust.js";
import { verifyLedgerText } from "../../shared/ledger/ledgerVerify.js";
import { buildLedger, ledgerText as text, makeKey, signEvent, step } from "../support/memoryLedger.js";

test("a colleague added by a trusted examiner may sign; one who added themselves may not", () => {
  const owner = makeKey("Owner");
  const colleague = makeKey("Colleague");
  const intruder = makeKey("Intruder");
  const good = buildLedger(owner, [
    (p) => step(p, owner, "examiner.added", { examiner: colleague.examiner }),
    (p) => step(p, colleague, "examiner.added", { examiner: makeKey("Third").examiner }),
  ]);
  const ok = verifyLedgerText(text(good), nodeLedgerCrypto);
  assert.deepEqual(ok.problems, []);
  assert.equal(ok.state.examiners.size, 3);

  const selfEnrolled = buildLedger(owner, [
    (p) => step(p, intruder, "examiner.added", { examiner: intruder.examiner }),
    (p) => step(p, intruder, "examiner.added", { examiner: makeKey("Fourth").examiner }),
  ]);
  const bad = verifyLedgerText(text(selfEnrolled), nodeLedgerCrypto);
  assert.deepEqual(
    bad.problems.map((p) => [p.code, p.line]),
    [
      ["signer-unknown", 2],
      ["signer-unknown", 3],
    ],
  );
  assert.equal(bad.state.examiners.size, 1, "an untrusted examiner.added adds no key");
});

test("a genesis whose key id does not belong to its key is refused", () => {
  const owner = makeKey("Owner");
  const [genesis] = buildLedger(owner);
  const forged = signEvent(
    {
      ...genesis!,
      payload: { ...genesis!.payload, examiner: { ...owner.examiner, keyId: "ed25519:" + "0".repeat(32) } },
    },
    owner,
  );
  const result = verifyLedgerText(text([forged]), nodeLedgerCrypto);
  assert.ok(result.problems.some((p) => p.code === "genesis-invalid"));
});

test("an empty ledger and a blank line are problems, not crashes", () => {
  assert.deepEqual(
    verifyLedgerText("", nodeLedgerCrypto).problems.map((p) => p.code),
    ["ledger-empty"],
  );
  const owner = makeKey("Owner");
  const withBlank = text(buildLedger(owner)) + "\n";
  assert.deepEqual(
    verifyLedgerText(withBlank, nodeLedgerCrypto).problems.map((p) => [p.code, p.line]),
    [["ledger-malformed-line", 2]],
  );
});

test("a key is trusted only from a line with nothing wrong, on both the verifier's side and the writer's", () => {
  const owner = makeKey("Owner");
  const colleague = makeKey("Colleague");
  const mallory = makeKey("Mallory");
  const genuine = buildLedger(owner, [(p) => step(p, owner, "examiner.added", { examiner: colleague.examiner })]);
  // Mallory's entry carries the genuine event's hash and signature over content the signature never covered.
  const copied: LedgerEvent = { ...genuine[1]!, payload: { examiner: mallory.examiner } };
  const byMallory = (prev: LedgerEvent) =>
    step(prev, mallory, "note.added", { sha256: "a".repeat(64), text: "forged" });
  const forged = [genuine[0]!, copied, byMallory(copied)];
  const check = verifyLedgerText(text(forged), nodeLedgerCrypto);
  assert.deepEqual(
    check.problems.map((p) => [p.code, p.line]),
    [
      ["event-hash-mismatch", 2],
      ["signer-unknown", 3],
    ],
  );
  assert.deepEqual([...check.state.examiners.keys()], [owner.examiner.keyId]);
  assert.deepEqual(
    [...establishTrust(new TextEncoder().encode(text(forged)), nodeLedgerCrypto).keys()],
    [owner.examiner.keyId],
  );

  // A properly signed examiner.added replayed from another ledger is not linked in place: no trust either.
  const elsewhere = buildLedger(owner, [
    (p) => step(p, owner, "note.added", { sha256: "b".repeat(64), text: "another case" }),
    (p) => step(p, owner, "examiner.added", { examiner: mallory.examiner }),
  ]);
  const replayed = [genuine[0]!, { ...elsewhere[2]!, seq: 1 }];
  assert.ok(!verifyLedgerText(text(replayed), nodeLedgerCrypto).state.examiners.has(mallory.examiner.keyId));
  const spliced = [genuine[0]!, elsewhere[2]!];
  assert.ok(!verifyLedgerText(text(spliced), nodeLedgerCrypto).state.examiners.has(mallory.examiner.keyId));
  assert.ok(!establishTrust(new TextEncoder().encode(text(spliced)), nodeLedgerCrypto).has(mallory.examiner.keyId));
});

test("a line nested thousands deep, and a million blank lines, are reported without overflowing", () => {
  const owner = makeKey("Owner");
  const deep = `{"a":${"[".repeat(200_000)}${"]".repeat(200_000)}}\n`;
  const nested = verifyLedgerText(text(buildLedger(owner)) + deep, nodeLedgerCrypto);
  assert.deepEqual(
    nested.problems.map((p) => [p.code, p.line]),
    [["ledger-malformed-line", 2]],
  );
  const blank = verifyLedgerText(text(buildLedger(owner)) + "\n".repeat(1_000_000), nodeLedgerCrypto);
  assert.equal(blank.problems.length, 1001, "a thousand listed, the rest counted in one");
  assert.match(blank.problems.at(-1)!.message, /and 999000 more lines/);
});
