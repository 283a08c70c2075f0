/**
 * The subset proof (shared/exchange/subsetProof.ts) on ledgers built in memory with real keys:
 * what is included and withheld, and each way a proof can be wrong; and the bundle's name rules.
 */
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { nodeLedgerCrypto } from "../../electron/services/ledger/nodeLedgerCrypto.js";
import { caseFileNameFault, parseSums, formatSums } from "../../shared/exchange/bundleFormat.js";
import { buildProof, checkProof } from "../../shared/exchange/subsetProof.js";
import { buildLedger, makeKey, step } from "../support/memoryLedger.js";

const A = "a".repeat(64);
const B = "b".repeat(64);
const owner = makeKey("Owner");
const second = makeKey("Second");
const note = (sha: string, text: string) => (prev: any) => step(prev, owner, "note.added", { sha256: sha, text });
const ledger = buildLedger(owner, [
  note(A, "about A"),
  note(B, "about B"),
  (prev) => step(prev, owner, "examiner.added", { examiner: second.examiner }),
  (prev) => step(prev, second, "note.added", { sha256: B, text: "B again, by the second examiner" }),
  (prev) => step(prev, second, "note.added", { sha256: A, text: "A again, by the second examiner" }),
]);
const text = (lines: string[]) => `${lines.join("\n")}\n`;

describe("subset proofs", () => {
  test("the events of the items, the genesis and every examiner.added are included; the rest withheld", () => {
    const lines = buildProof(ledger, new Set([A]));
    assert.equal(lines.length, ledger.length);
    const kinds = lines.map((l) => (JSON.parse(l).excluded ? "stub" : JSON.parse(l).type));
    assert.deepEqual(kinds, ["case.created", "note.added", "stub", "examiner.added", "stub", "note.added"]);
    assert.ok(!lines.join("").includes("about B"));
    const check = checkProof(text(lines), nodeLedgerCrypto);
    assert.equal(check.fault, null);
    assert.deepEqual(check.head, { seq: 5, hash: ledger[5]!.hash });
    assert.equal(check.excludedCount, 2);
    assert.equal(check.caseId, "c1");
  });

  test("each wrong proof is refused with its line", () => {
    const lines = buildProof(ledger, new Set([A]));
    const edited = [...lines];
    edited[1] = edited[1]!.replace("about A", "about A, edited");
    assert.match(
      checkProof(text(edited), nodeLedgerCrypto).fault!,
      /^line 2 of the proof: its content does not give its hash/,
    );
    const dropped = lines.filter((_, i) => i !== 2);
    assert.match(checkProof(text(dropped), nodeLedgerCrypto).fault!, /^line 3 of the proof: seq is 3 where 2 belongs/);
    const stub = JSON.parse(lines[2]!);
    stub.hash = "0".repeat(64);
    const forgedStub = [...lines];
    forgedStub[2] = JSON.stringify(stub);
    assert.match(
      checkProof(text(forgedStub), nodeLedgerCrypto).fault!,
      /^line 3 of the proof: its signature does not verify/,
    );
    const noExaminer = [...lines];
    const added = JSON.parse(lines[3]!);
    noExaminer[3] = JSON.stringify({
      seq: 3,
      actor: added.actor,
      prev: added.prev,
      hash: added.hash,
      sig: added.sig,
      excluded: true,
    });
    assert.match(
      checkProof(text(noExaminer), nodeLedgerCrypto).fault!,
      /^line 5 of the proof: signed by .* a key the included events do not trust/,
    );
    const other = buildLedger(makeKey("Stranger"), [note(A, "about A")]);
    const foreign = [...lines];
    foreign[1] = JSON.stringify(other[1]);
    assert.match(
      checkProof(text(foreign), nodeLedgerCrypto).fault!,
      /^line 2 of the proof: prev is not the hash of the line before/,
    );
    assert.match(checkProof(text(lines).slice(0, -1), nodeLedgerCrypto).fault!, /cut short/);
    assert.match(checkProof("", nodeLedgerCrypto).fault!, /cut short/);
    const withheldGenesis = [
      JSON.stringify({ ...JSON.parse(buildProof(ledger, new Set())[1]!), seq: 0 }),
      ...lines.slice(1),
    ];
    assert.ok(checkProof(text(withheldGenesis), nodeLedgerCrypto).fault);
  });
});

describe("bundle names", () => {
  test("only the files a case folder holds, plain and shallow", () => {
    assert.equal(caseFileNameFault("ledger.jsonl"), null);
    assert.equal(caseFileNameFault(`objects/sha256/ab/${"c".repeat(62)}`), null);
    assert.equal(caseFileNameFault(`derived/${A}/thumbnail-320.jpg`), null);
    assert.equal(caseFileNameFault("timestamps/3-abc.tsr"), null);
    assert.ok(caseFileNameFault("tmp/import.partial"));
    assert.ok(caseFileNameFault("ledger.jsonl.lock/x"));
    assert.ok(caseFileNameFault("exports/.hidden"));
    assert.ok(caseFileNameFault("exports/a/b/c/d"));
    assert.ok(caseFileNameFault("exports/caf\u00e9.txt"));
    assert.ok(caseFileNameFault("notes.txt"));
  });

  test("SHA256SUMS round-trips, and anything else is refused", () => {
    const files = [{ path: "case/case.json", size: 3, sha256: A }];
    assert.deepEqual([...parseSums(formatSums(files))!], [["case/case.json", A]]);
    assert.equal(parseSums(`${A} case/case.json\n`), null, "one space is not sha256sum's format");
    assert.equal(parseSums(`${A}  x\n${A}  x\n`), null, "a name twice");
    assert.equal(parseSums(`${A}  x`), null, "no line end");
  });
});
