/**
 * Verification of trusted timestamps (docs/LEDGER.md, "Trusted timestamps"): each token a
 * `timestamp.recorded` names is read (never through a link), held against the SHA-256 and size
 * its event recorded, and checked as an RFC 3161 token: its imprint is the SHA-256 of the head it
 * names, its nonce, genTime and serial are those the event recorded, its CMS signature verifies
 * with a certificate holding the timeStamping usage, and its genTime is not before the head
 * event's time. Whether the authority is trusted depends on who checks: the chain is held against
 * the anchors the verifying examiner configured, and a token that does not reach them is a
 * notice ("signature valid, TSA not trusted by this examiner"), not a problem.
 */
import { createHash } from "node:crypto";
import { lstat } from "node:fs/promises";
import path from "node:path";
import type * as pkijs from "pkijs";
import { CASE_PATHS } from "../../../shared/case/caseFile.js";
import type { Notice, Problem } from "../../../shared/ledger/problems.js";
import type { RecordedTimestamp } from "../../../shared/ledger/timestampVerify.js";
import { readCaseText } from "../vault/caseLayout.js";
import { listFiles, notRegular } from "./verifyFiles.js";

const MAX_TOKEN_BYTES = 1024 * 1024;

/** Checks every recorded token; returns how many were read and checked. */
export async function checkTimestamps(
  caseDir: string,
  unsafe: ReadonlySet<string>,
  recorded: readonly RecordedTimestamp[],
  anchorsPem: readonly string[],
  report: { problems: Problem[]; notices: Notice[] },
): Promise<number> {
  const named = new Set(recorded.map((t) => t.payload.token.path));
  // pkijs is loaded only for a case that has timestamps: every other verify starts without it.
  const { certificatesOfPem, checkToken, TimestampFault } =
    recorded.length > 0 ? await import("../timestamps/rfc3161.js") : ({} as typeof import("../timestamps/rfc3161.js"));
  const anchors = (recorded.length > 0 ? anchorsPem : []).flatMap((pem): pkijs.Certificate[] => {
    try {
      return certificatesOfPem(pem);
    } catch {
      return [];
    }
  });
  let checked = 0;
  for (const t of recorded) {
    const p = t.payload;
    const at = { line: t.line, seq: t.seq, file: p.token.path };
    const name = `the timestamp ${p.token.path} (line ${t.line})`;
    const problem = (code: Problem["code"], message: string) => report.problems.push({ code, ...at, message });
    const bytes = await readToken(caseDir, unsafe, p.token.path);
    if (bytes === "missing") {
      problem("timestamp-missing", `${name} is missing`);
      continue;
    }
    if (typeof bytes === "string") {
      problem("timestamp-not-regular", notRegular(name, bytes));
      continue;
    }
    if (createHash("sha256").update(bytes).digest("hex") !== p.token.sha256 || bytes.length !== p.token.size) {
      problem("timestamp-corrupt", `${name} no longer matches the SHA-256 and size its event recorded`);
      continue;
    }
    checked++;
    let result;
    try {
      result = await checkToken(bytes, p.head.hash, anchors);
    } catch (error) {
      if (!(error instanceof TimestampFault)) throw error;
      problem("timestamp-invalid", `${name} is not a readable RFC 3161 token: ${error.message}`);
      continue;
    }
    const { facts } = result;
    if (result.imprintFault || facts.imprint !== p.imprint) {
      problem(
        "timestamp-imprint-mismatch",
        `${name} does not cover head ${p.head.seq}: ${result.imprintFault ?? "its imprint is not the one its event recorded"}`,
      );
    }
    const differs = (
      [
        ["nonce", facts.nonce, p.nonce],
        ["genTime", facts.genTime, p.genTime],
        ["serial number", facts.serial, p.serial],
        ["policy", facts.policy, p.policy],
      ] as const
    ).filter(([, found, recorded]) => found !== recorded);
    if (differs.length > 0) {
      problem(
        "timestamp-invalid",
        `${name} holds a ${differs.map(([what]) => what).join(", ")} other than its event recorded`,
      );
    }
    if (result.signatureFault) {
      problem("timestamp-signature-invalid", `${name}: ${result.signatureFault}`);
      continue;
    }
    // Compared to the second: a genTime need be no finer (RFC 3161 §2.4.2), and an authority that
    // writes whole seconds (openssl does) truncates, so a token issued in the same second as the
    // event would otherwise look earlier than it.
    if (wholeSecond(facts.genTime) < wholeSecond(t.headTs)) {
      problem(
        "timestamp-time-invalid",
        `${name} was issued at ${facts.genTime}, before the event it covers was written (${t.headTs})`,
      );
    }
    if (result.trustFault) {
      report.notices.push({
        code: "timestamp-untrusted",
        line: t.line,
        file: p.token.path,
        message: `${name}: signature valid, but the authority ${p.tsaName} is not trusted by this examiner (${result.trustFault})`,
      });
    }
  }
  for (const relative of await listFiles(caseDir, CASE_PATHS.timestamps, unsafe)) {
    if (named.has(relative)) continue;
    report.notices.push({
      code: "timestamp-unreferenced",
      file: relative,
      message: `${relative} is not named by any ledger event (a timestamp interrupted before it was recorded, or a file added by hand); it is not evidence`,
    });
  }
  return checked;
}

/** The token's bytes, `missing`, or what it is instead of a regular file. */
async function readToken(caseDir: string, unsafe: ReadonlySet<string>, relative: string): Promise<Buffer | string> {
  if (unsafe.has(CASE_PATHS.timestamps)) return "in a linked folder";
  try {
    const info = await lstat(path.join(caseDir, relative));
    if (info.isSymbolicLink()) return "symbolic link";
    if (!info.isFile()) return info.isDirectory() ? "folder" : "special file (FIFO, socket or device)";
  } catch {
    return "missing";
  }
  try {
    return await readCaseText(caseDir, relative, MAX_TOKEN_BYTES);
  } catch (error) {
    return `file that cannot be read (${(error as Error).message.split("\n")[0]})`;
  }
}

/** An ISO 8601 instant's whole second since 1970, the resolution at which a genTime is compared. */
function wholeSecond(iso: string): number {
  return Math.floor(Date.parse(iso) / 1000);
}
