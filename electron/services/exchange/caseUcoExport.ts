/**
 * `sightline export <case-dir> --format case-uco [--out FILE.jsonld]`: the case as CASE/UCO JSON-LD
 * (shared/exchange/caseUco.ts), built from the ledger as it stands, kept in the case's `exports/`
 * like every other export (vault/caseFolderFile.ts: temporary name, fsync, linked into place,
 * read-only) and, with `--out`, also written to a new file outside the case the same way (an
 * existing file is never replaced); recorded as a `uco.exported` event with the file's SHA-256,
 * the copy's path in exports/ (which verify re-hashes) and the head it holds.
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
import { fileName, writeExport } from "../geo/geoExports.js";
import { assertNewOutside } from "./bundleWriter.js";
import { SightlineError, describeIoError } from "../sightlineError.js";
import { fsyncDir } from "../vault/durableFs.js";
import { loadCaseState, readLedgerEvents } from "../vault/caseStore.js";

export interface CaseUcoExportResult {
  /** The copy outside the case when one was asked for, else the one in exports/ (absolute paths). */
  file: string;
  /** The copy kept in the case, `exports/<name>`. */
  casePath: string;
  sha256: string;
  size: number;
  head: { seq: number; hash: string };
  itemCount: number;
  actionCount: number;
  event: LedgerEvent;
}

export async function exportCaseUco(options: {
  caseDir: string;
  /** A copy outside the case as well (the CLI's --out); absent: the copy in exports/ only. */
  outFile?: string;
  key: ExaminerKey;
  clock?: () => Date;
}): Promise<CaseUcoExportResult> {
  const caseDir = path.resolve(options.caseDir);
  const outFile = options.outFile === undefined ? null : path.resolve(options.outFile);
  if (outFile) await assertNewOutside(outFile, caseDir, "a CASE/UCO export");
  const writer = await LedgerWriter.open(caseDir, { key: options.key });
  try {
    const state = await loadCaseState(caseDir);
    const head = writer.currentHead;
    if (!head || state.caseId === null) throw new SightlineError("not-a-case", `${caseDir} has no case ledger`);
    const events = (await readLedgerEvents(caseDir)).filter((e) => e.seq <= head.seq);
    const examiners = new Map([...state.examiners.values()].map((e) => [e.keyId, e.name]));
    const document = caseUcoDocument({ caseId: state.caseId, title: state.title, events, examiners, tool: TOOL, head });
    const bytes = Buffer.from(`${JSON.stringify(document, null, 2)}\n`, "utf8");
    // The geolocation exports' naming, `<case id>-case-uco-<UTC time>.jsonld`: plain characters only.
    const at = (options.clock ?? (() => new Date()))();
    const casePath = await writeExport(caseDir, fileName(state.caseId, "case-uco", at, "jsonld"), bytes);
    // Not recorded, so not evidence: nothing is left in exports/ for verify to call unreferenced.
    const removeCopy = () => unlink(path.join(caseDir, casePath)).catch(() => undefined);
    if (outFile) {
      try {
        await writeNew(outFile, bytes);
      } catch (error) {
        await removeCopy();
        throw error;
      }
    }
    const types = document["@graph"].map((n) => n["@type"]);
    const payload: UcoExported = {
      file: {
        name: path.basename(outFile ?? casePath),
        sha256: createHash("sha256").update(bytes).digest("hex"),
        size: bytes.length,
      },
      path: casePath,
      head: { seq: head.seq, hash: head.hash },
      ontology: { case: CASE_VERSION, uco: UCO_VERSION },
      itemCount: new Set(events.filter((e) => e.type === "item.imported").map((e) => e.payload.sha256)).size,
      actionCount: types.filter((t) => t === "case-investigation:InvestigativeAction").length,
      tool: { ...TOOL },
    };
    const [event] = await writer.append([{ type: "uco.exported", payload }]).catch(async (error: unknown) => {
      // Neither copy is recorded: the one outside the case (written just above, by this call) goes too.
      await removeCopy();
      if (outFile) await unlink(outFile).catch(() => undefined);
      throw error;
    });
    return {
      file: outFile ?? path.join(caseDir, casePath),
      casePath,
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
