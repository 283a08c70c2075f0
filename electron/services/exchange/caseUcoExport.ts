/**
 * `sightline export <case-dir> --format case-uco --out FILE.jsonld`: the case as CASE/UCO JSON-LD
 * (shared/exchange/caseUco.ts), built from the ledger as it stands, written to a new file outside
 * the case (under a temporary name, fsynced, then linked into place: an existing file is never
 * replaced), and recorded as a `uco.exported` event with the file's SHA-256 and the head it holds.
 */
import { createHash } from "node:crypto";
import { constants } from "node:fs";
import { link, open, unlink } from "node:fs/promises";
import path from "node:path";
import { caseUcoDocument, CASE_VERSION, UCO_VERSION } from "../../../shared/exchange/caseUco.js";
import type { UcoExported } from "../../../shared/exchange/caseUcoEvent.js";
import type { LedgerEvent } from "../../../shared/ledger/events.js";
import { TOOL } from "../appInfo.js";
import type { ExaminerKey } from "../examiners/keyStore.js";
import { LedgerWriter } from "../ledger/ledgerWriter.js";
import { assertNewOutside } from "./bundleWriter.js";
import { SightlineError, describeIoError } from "../sightlineError.js";
import { fsyncDir } from "../vault/durableFs.js";
import { loadCaseState, readLedgerEvents } from "../vault/caseStore.js";

export interface CaseUcoExportResult {
  file: string;
  sha256: string;
  size: number;
  head: { seq: number; hash: string };
  itemCount: number;
  actionCount: number;
  event: LedgerEvent;
}

export async function exportCaseUco(options: {
  caseDir: string;
  outFile: string;
  key: ExaminerKey;
}): Promise<CaseUcoExportResult> {
  const caseDir = path.resolve(options.caseDir);
  const outFile = path.resolve(options.outFile);
  await assertNewOutside(outFile, caseDir, "a CASE/UCO export");
  const writer = await LedgerWriter.open(caseDir, { key: options.key });
  try {
    const state = await loadCaseState(caseDir);
    const head = writer.currentHead;
    if (!head || state.caseId === null) throw new SightlineError("not-a-case", `${caseDir} has no case ledger`);
    const events = (await readLedgerEvents(caseDir)).filter((e) => e.seq <= head.seq);
    const examiners = new Map([...state.examiners.values()].map((e) => [e.keyId, e.name]));
    const document = caseUcoDocument({ caseId: state.caseId, title: state.title, events, examiners, tool: TOOL, head });
    const bytes = Buffer.from(`${JSON.stringify(document, null, 2)}\n`, "utf8");
    await writeNew(outFile, bytes);
    const types = document["@graph"].map((n) => n["@type"]);
    const payload: UcoExported = {
      file: {
        name: path.basename(outFile),
        sha256: createHash("sha256").update(bytes).digest("hex"),
        size: bytes.length,
      },
      head: { seq: head.seq, hash: head.hash },
      ontology: { case: CASE_VERSION, uco: UCO_VERSION },
      itemCount: new Set(events.filter((e) => e.type === "item.imported").map((e) => e.payload.sha256)).size,
      actionCount: types.filter((t) => t === "case-investigation:InvestigativeAction").length,
      tool: { ...TOOL },
    };
    const [event] = await writer.append([{ type: "uco.exported", payload }]);
    return {
      file: outFile,
      ...payload.file,
      head: payload.head,
      itemCount: payload.itemCount,
      actionCount: payload.actionCount,
      event: event!,
    };
  } finally {
    await writer.close();
  }
}

async function writeNew(outFile: string, bytes: Buffer): Promise<void> {
  const partial = `${outFile}.${process.pid}.${Date.now()}.partial`;
  const handle = await open(
    partial,
    constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | (constants.O_NOFOLLOW ?? 0),
    0o600,
  ).catch((error: unknown) => {
    throw new SightlineError("io-error", `cannot write ${outFile}: ${describeIoError(error)}`);
  });
  try {
    await handle.writeFile(bytes);
    await handle.sync();
    await handle.close();
    await link(partial, outFile).catch((error: NodeJS.ErrnoException) => {
      if (error.code === "EEXIST")
        throw new SightlineError("case-exists", `${outFile} already exists; nothing was replaced`);
      throw new SightlineError("io-error", `cannot write ${outFile}: ${describeIoError(error)}`);
    });
    await fsyncDir(path.dirname(outFile));
  } finally {
    await handle.close().catch(() => undefined);
    await unlink(partial).catch(() => undefined);
  }
}
