/**
 * Verification of the files in `exports/`: each one a `geolocations.exported` event names (the
 * latest event for a path) is re-hashed on the verification threads, never through a link, and
 * held against the SHA-256 and size its event recorded; a file there that no event names is a
 * notice (an export interrupted before its event, or a file put there by hand: not evidence).
 */
import { CASE_PATHS } from "../../../shared/case/caseFile.js";
import type { RecordedExport } from "../../../shared/ledger/geoVerify.js";
import type { Notice, Problem } from "../../../shared/ledger/problems.js";
import { checkInside, listFiles, notRegular } from "./verifyFiles.js";
import type { VerifyPool } from "./verifyPool.js";

/** Checks every export the ledger names; returns how many were read and found regular files. */
export async function checkExports(
  pool: VerifyPool,
  caseDir: string,
  unsafe: ReadonlySet<string>,
  recorded: readonly RecordedExport[],
  report: { problems: Problem[]; notices: Notice[]; signal?: AbortSignal },
): Promise<number> {
  const latest = new Map<string, RecordedExport>();
  for (const e of recorded) latest.set(e.path, e);
  const exports = [...latest.values()];
  const results = await checkInside(
    pool,
    caseDir,
    unsafe,
    exports.map((e) => ({ file: e.path, algorithms: ["sha256"] })),
    report.signal ? { signal: report.signal } : {},
  );
  let checked = 0;
  exports.forEach((e, i) => {
    const result = results[i]!;
    const at = { seq: e.seq, file: e.path };
    const name = `the export ${e.path} (line ${e.line})`;
    if (result.kind === "missing" || result.kind === "error") {
      const why = result.kind === "error" ? `cannot be read: ${result.message}` : "is missing";
      report.problems.push({ code: "export-missing", ...at, message: `${name} ${why}` });
    } else if (result.kind === "not-regular") {
      report.problems.push({ code: "export-not-regular", ...at, message: notRegular(name, result.what) });
    } else {
      checked++;
      if (result.digests.sha256 !== e.sha256 || result.size !== e.size) {
        report.problems.push({
          code: "export-corrupt",
          ...at,
          message: `${name} no longer matches the SHA-256 and size its event recorded: it was changed after it was written`,
        });
      }
    }
  });
  for (const relative of await listFiles(caseDir, CASE_PATHS.exports, unsafe)) {
    if (latest.has(relative)) continue;
    report.notices.push({
      code: "export-unreferenced",
      file: relative,
      message: `${relative} is not named by any ledger event (an export interrupted before it was recorded, or a file added by hand); it is not evidence`,
    });
  }
  return checked;
}
