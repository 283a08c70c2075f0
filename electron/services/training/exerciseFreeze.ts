/**
 * The freeze of a submitted exercise: after `exercise.submitted`, only the scoring, its exports,
 * verification, reports and timestamps may be added to the case (AFTER_SUBMISSION_TYPES). The
 * ledger writer refuses anything else whoever asks (the workbench, the CLI); the service asks
 * first too, so a refused import or bundle export starts no job. Verify reports any other event
 * after a submission (shared/training/exerciseVerify.ts).
 */
import { constants } from "node:fs";
import { CASE_PATHS } from "../../../shared/case/caseFile.js";
import type { CaseState } from "../../../shared/ledger/caseState.js";
import { AFTER_SUBMISSION_TYPES } from "../../../shared/ledger/trainingEvents.js";
import { formatTime } from "../../../shared/text/times.js";
import { SightlineError } from "../sightlineError.js";
import { openCaseOwnFile } from "../vault/caseLayout.js";

const ALLOWED: ReadonlySet<string> = new Set(AFTER_SUBMISSION_TYPES);

/** Throws when the case holds a submitted exercise and any of `types` may not follow it. */
export function assertNotFrozen(state: CaseState, types: readonly string[]): void {
  assertOpenAfter(state.training.exercise?.submitted?.ts ?? null, types);
}

/**
 * When the case's ledger records `exercise.submitted`, its time; else null. For the ledger writer,
 * which every change passes through (the CLI's imports and analyses too): the file is searched as
 * bytes for the event type (a type inside a payload's text is escaped, and a match is parsed to be
 * sure); what was read is remembered, so each change reads only the lines added since the last.
 */
export async function submissionTime(caseDir: string): Promise<string | null> {
  const handle = await openCaseOwnFile(caseDir, CASE_PATHS.ledger, constants.O_RDONLY);
  try {
    const info = await handle.stat();
    const file = `${info.dev}:${info.ino}`;
    const known = remembered.get(caseDir);
    // The ledger only grows: once seen, a submission stays; otherwise only the lines added since are read.
    // (An edit inside the part already read is verify's to find, as for the case state cache.)
    const from = known?.file === file && known.size <= info.size ? known.size : 0;
    let at = from > 0 ? known!.at : null;
    if (at === null && info.size > from) {
      const bytes = Buffer.alloc(info.size - from);
      await handle.read(bytes, 0, bytes.length, from);
      at = findSubmission(bytes);
    }
    remembered.delete(caseDir);
    if (remembered.size >= 4) remembered.delete(remembered.keys().next().value!);
    remembered.set(caseDir, { file, size: info.size, at });
    return at;
  } finally {
    await handle.close();
  }
}

const remembered = new Map<string, { file: string; size: number; at: string | null }>();
const NEEDLE = Buffer.from('"type":"exercise.submitted"');

function findSubmission(bytes: Buffer): string | null {
  for (let at = bytes.indexOf(NEEDLE); at >= 0; at = bytes.indexOf(NEEDLE, at + NEEDLE.length)) {
    const start = bytes.lastIndexOf(0x0a, at) + 1;
    const end = bytes.indexOf(0x0a, at);
    try {
      const event = JSON.parse(bytes.subarray(start, end < 0 ? bytes.length : end).toString("utf8")) as {
        type?: unknown;
        ts?: unknown;
      };
      if (event.type === "exercise.submitted" && typeof event.ts === "string") return event.ts;
    } catch {
      // Not a whole event line (a torn tail): verify reports it; the freeze looks on.
    }
  }
  return null;
}

/** The writer's check: throws the freeze's words when `types` may not follow a submission at `submittedAt`. */
export function assertOpenAfter(submittedAt: string | null, types: readonly string[]): void {
  if (submittedAt === null || types.every((t) => ALLOWED.has(t))) return;
  throw new SightlineError(
    "invalid-input",
    `This exercise was submitted on ${formatTime(submittedAt)}; its work is frozen.`,
  );
}
