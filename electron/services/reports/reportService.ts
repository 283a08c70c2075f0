/**
 * Making a custody report (docs/REPORT.md): the case is verified at report time (every object,
 * derivative and export re-hashed, every event checked), the report is built from the ledger as
 * verified (never from a screen's projection), rendered, kept in the case under `exports/` and
 * recorded by a `report.generated` event with its SHA-256, size and the head it covers.
 *
 * The case's lock is held from verification to the event, so the report covers exactly the
 * ledger it names. A case whose verification fails still gets its report, which says so on every
 * page and lists each problem: a forensic tool reports what it finds rather than hiding it. A
 * report that cannot be recorded (no key of this profile, the case busy) is still made; the
 * outcome says why it was not recorded and no copy is left in the case.
 */
import { createHash } from "node:crypto";
import { unlink } from "node:fs/promises";
import path from "node:path";
import type { EventRef } from "../../../shared/ledger/geoEvents.js";
import { verifyLedgerBytes } from "../../../shared/ledger/ledgerVerify.js";
import { buildReport, unknownItems } from "../../../shared/reports/buildReport.js";
import {
  REPORT_FORMAT_VERSION,
  type CustodyReport,
  type ReportChoices,
  type ReportFormat,
} from "../../../shared/reports/reportModel.js";
import { CASE_PATHS } from "../../../shared/case/caseFile.js";
import { TOOL } from "../appInfo.js";
import type { KeyStore } from "../examiners/keyStore.js";
import { writeExport } from "../geo/geoExports.js";
import { LedgerWriter } from "../ledger/ledgerWriter.js";
import { nodeLedgerCrypto } from "../ledger/nodeLedgerCrypto.js";
import { verifyCase, type VerifyProgress } from "../ledger/verifyCase.js";
import { verifyRecorder } from "../ledger/verifyJob.js";
import { SightlineError } from "../sightlineError.js";
import { readCaseFile, parseLedgerLines } from "../vault/caseStore.js";
import { readCaseText } from "../vault/caseLayout.js";
import { reportPictures } from "./reportImages.js";
import type { ReportPrinter } from "./reportPrinter.js";
import { renderReport } from "./reportRender.js";

export interface ReportRequest {
  dir: string;
  format: ReportFormat;
  /** Items by SHA-256; absent for the whole case. */
  items?: string[];
  choices: ReportChoices;
}

export interface ReportTools {
  keyStore: KeyStore;
  /** Made on first use (PDF only). */
  printer: () => ReportPrinter;
  clock?: () => Date;
  signal?: AbortSignal;
  onProgress?: (phase: "verifying" | "building" | "rendering" | "recording", progress?: VerifyProgress) => void;
  /** Told when the ledger moved (the workbench refreshes). */
  onAppended?: (head: EventRef) => void;
}

export interface ReportOutcome {
  bytes: Buffer;
  sha256: string;
  format: ReportFormat;
  /** A plain file name for the report. */
  fileName: string;
  /** The copy kept in the case and the event recording it; null when the report could not be recorded. */
  casePath: string | null;
  seq: number | null;
  /** That event's hash: with `seq`, the head a timestamp of the report covers. */
  hash: string | null;
  notRecorded: string | null;
  head: EventRef | null;
  isClean: boolean;
  problemCount: number;
  itemCount: number;
  /** What the report had to leave out, in words (the job's warnings). */
  warnings: string[];
}

const EXTENSIONS: Record<ReportFormat, string> = { pdf: "pdf", html: "html", json: "json", csv: "csv" };

/** `<first 8 of the case id>-report-<UTC time to the millisecond>.<ext>`, plain characters only. */
export function reportFileName(caseId: string | null, at: Date, format: ReportFormat): string {
  const prefix = (caseId ?? "").replace(/[^A-Za-z0-9]/g, "").slice(0, 8) || "case";
  const stamp = at.toISOString().replace(/[-:]/g, "").replace(".", "");
  return `${prefix}-report-${stamp}.${EXTENSIONS[format]}`;
}

export async function generateReport(request: ReportRequest, tools: ReportTools): Promise<ReportOutcome> {
  const dir = path.resolve(request.dir);
  await readCaseFile(dir);
  const recorder = await verifyRecorder(dir, tools.keyStore);
  let notRecorded = recorder.reason;
  const writer = recorder.key
    ? await LedgerWriter.open(dir, { key: recorder.key }).catch((error: unknown) => {
        notRecorded = error instanceof SightlineError ? error.message : String(error);
        return null;
      })
    : null;
  try {
    const { report, pictures } = await verifiedReport(dir, request, tools);
    tools.onProgress?.("rendering");
    const warnings: string[] = [];
    const bytes = await renderReport(report, request.format, pictures, tools.printer, (w) => warnings.push(w));
    const sha256 = createHash("sha256").update(bytes).digest("hex");
    const fileName = reportFileName(report.case.id, new Date(report.generatedAt), request.format);
    const outcome: ReportOutcome = {
      bytes,
      sha256,
      format: request.format,
      fileName,
      casePath: null,
      seq: null,
      hash: null,
      notRecorded,
      head: report.ledger.head,
      isClean: report.verification.isClean,
      problemCount: report.verification.problems.length,
      itemCount: report.items.length,
      warnings,
    };
    if (!writer || !report.ledger.head) {
      outcome.notRecorded ??= "the ledger has no events to name";
      return outcome;
    }
    tools.onProgress?.("recording");
    const casePath = await writeExport(dir, fileName, bytes);
    try {
      const [event] = await writer.append([
        {
          type: "report.generated",
          payload: {
            format: request.format,
            path: casePath,
            sha256,
            size: bytes.length,
            head: report.ledger.head,
            scope: report.scope.kind === "items" ? { kind: "items", items: report.scope.items } : { kind: "case" },
            choices: { sensitive: request.choices.sensitive, graphic: request.choices.graphic },
            verification: { isClean: report.verification.isClean, problemCount: report.verification.problems.length },
            reportFormatVersion: REPORT_FORMAT_VERSION,
            tool: { ...TOOL },
          },
        },
      ]);
      tools.onAppended?.(writer.currentHead);
      return { ...outcome, casePath, seq: event!.seq, hash: event!.hash, notRecorded: null };
    } catch (error) {
      // Not recorded, so not evidence: nothing is left in exports/ for verify to call unreferenced.
      await unlink(path.join(dir, casePath)).catch(() => undefined);
      throw error;
    }
  } finally {
    await writer?.close();
  }
}

/** Verification at report time, then the report built from the ledger exactly as verified. */
async function verifiedReport(
  dir: string,
  request: ReportRequest,
  tools: ReportTools,
): Promise<{ report: CustodyReport; pictures: Map<string, string> }> {
  tools.onProgress?.("verifying");
  const verified = await verifyCase(dir, {
    ...(tools.signal ? { signal: tools.signal } : {}),
    onProgress: (p) => tools.onProgress?.("verifying", p),
  });
  tools.onProgress?.("building");
  const ledgerBytes = await readCaseText(dir, CASE_PATHS.ledger).catch(() => Buffer.alloc(0));
  // verifyCase has just checked every signature of these same bytes (same head, and the lock is held):
  // only the ones that decide trust are checked again here, as the walk needs them to replay.
  const check = verifyLedgerBytes(ledgerBytes, nodeLedgerCrypto, { deferSignature: () => undefined });
  const headOf = (h: EventRef | null) => (h ? `${h.seq} ${h.hash}` : "none");
  if (headOf(check.head) !== headOf(verified.head)) {
    throw new SightlineError("locked", "the ledger changed while the case was being verified; make the report again");
  }
  const state = check.state;
  if (request.items) {
    const unknown = unknownItems(state, request.items);
    if (unknown.length) {
      throw new SightlineError(
        "invalid-input",
        `not items of this case: ${unknown.slice(0, 5).join(", ")}${unknown.length > 5 ? ` and ${unknown.length - 5} more` : ""}; no report was made`,
      );
    }
  }
  const items = request.items ?? [...state.items.keys()];
  const isVisual = request.format === "pdf" || request.format === "html";
  const pictures = await reportPictures(dir, state, items, request.choices, isVisual, tools.signal);
  const fingerprints = new Map(
    [...state.examiners.values()].map((e) => [
      e.keyId,
      createHash("sha256")
        .update(Buffer.from(e.publicKey, "base64"))
        .digest("hex")
        .replace(/(.{4})(?!$)/g, "$1 "),
    ]),
  );
  const report = buildReport({
    events: parseLedgerLines(ledgerBytes.toString("utf8")),
    state,
    verification: {
      isClean: verified.isClean,
      checkedAt: verified.checkedAt,
      eventCount: verified.eventCount,
      itemCount: verified.itemCount,
      objectsChecked: verified.objectsChecked,
      bytesChecked: verified.bytesChecked,
      derivativesChecked: verified.derivativesChecked,
      exportsChecked: verified.exportsChecked,
      problems: verified.problems.map(problemOf),
      notices: verified.notices.map(problemOf),
    },
    generatedAt: (tools.clock ?? (() => new Date()))().toISOString(),
    tool: { ...TOOL },
    choices: request.choices,
    ...(request.items ? { items: request.items } : {}),
    fingerprints,
    imageFault: (p) => pictures.faults.get(p) ?? null,
  });
  return { report, pictures: pictures.uris };
}

function problemOf(p: { code: string; message: string; line?: number; item?: string; file?: string }) {
  return {
    code: p.code,
    message: p.message,
    ...(p.line !== undefined ? { line: p.line } : {}),
    ...(p.item !== undefined ? { item: p.item } : {}),
    ...(p.file !== undefined ? { file: p.file } : {}),
  };
}
