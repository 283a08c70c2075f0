/**
 * What a trainer types when authoring a sample, and how it becomes the API's `authorSample`
 * input: checked as typed by the contract's own schema (AuthorSampleInput), with each problem
 * keyed by where it is (`hints.1.text`, `locations.0.toleranceM`) so the form can say it beside
 * the field, plus the checks the schema cannot make alone (an answer about an item not packed).
 */
import { AuthorSampleInput } from "../../../../shared/api/trainingContract.js";
import type { LatLonValue } from "../../../../shared/ledger/geoEvents.js";
import type { ItemStatus } from "../../../../shared/ledger/events.js";
import type { WarningCode } from "../../../../shared/media/metadata.js";
import { SAMPLE_EXTENSION, type TrapKind } from "../../../../shared/training/sampleFormat.js";

export interface LocationDraft {
  sha256: string | null;
  place: LatLonValue | null;
  toleranceM: number | string;
  explanation: string;
}
export interface TimeDraft {
  sha256: string | null;
  from: string;
  to: string;
  toleranceMinutes: number | string;
  explanation: string;
}
export interface TrapDraft {
  id: string;
  sha256: string | null;
  kind: TrapKind;
  title: string;
  explanation: string;
  statuses: ItemStatus[];
  /** Comma-separated, as typed. */
  keywords: string;
  /** The warnings whose acknowledgement catches it; starts as its kind's (TRAP_WARNINGS). */
  warnings: WarningCode[];
}
export interface SampleDraft {
  id: string;
  title: string;
  out: string;
  task: string;
  /** One claim per line. */
  claims: string;
  timeAllowedMinutes: number | string;
  hints: { title: string; text: string }[];
  items: string[];
  locations: LocationDraft[];
  times: TimeDraft[];
  traps: TrapDraft[];
  modelAnswer: string;
}

export const EMPTY_DRAFT: SampleDraft = {
  id: "",
  title: "",
  out: "",
  task: "",
  claims: "",
  timeAllowedMinutes: 60,
  hints: [],
  items: [],
  locations: [],
  times: [],
  traps: [],
  modelAnswer: "",
};

const numberOrNaN = (v: number | string) => (typeof v === "number" ? v : v.trim() === "" ? Number.NaN : Number(v));

/** The draft as the API's input (not yet checked). */
export function draftToInput(dir: string, d: SampleDraft): unknown {
  const allowed = numberOrNaN(d.timeAllowedMinutes);
  return {
    dir,
    out: d.out.trim(),
    id: d.id.trim(),
    title: d.title,
    briefing: {
      task: d.task,
      claims: d.claims
        .split("\n")
        .map((c) => c.trim())
        .filter((c) => c !== ""),
      timeAllowedMinutes:
        typeof d.timeAllowedMinutes === "string" && d.timeAllowedMinutes.trim() === "" ? null : allowed,
    },
    hints: d.hints,
    items: d.items,
    locations: d.locations.map((l) => ({
      sha256: l.sha256 ?? "",
      place: l.place ?? { lat: Number.NaN, lon: Number.NaN },
      toleranceM: numberOrNaN(l.toleranceM),
      explanation: l.explanation,
    })),
    times: d.times.map((t) => ({
      sha256: t.sha256 ?? "",
      window: { from: t.from.trim(), to: t.to.trim() },
      toleranceMinutes: numberOrNaN(t.toleranceMinutes),
      explanation: t.explanation,
    })),
    traps: d.traps.map((t) => ({
      id: t.id.trim(),
      sha256: t.sha256 ?? "",
      kind: t.kind,
      title: t.title,
      explanation: t.explanation,
      statuses: t.statuses,
      keywords: t.keywords
        .split(",")
        .map((k) => k.trim())
        .filter((k) => k !== ""),
      warnings: t.warnings,
    })),
    modelAnswer: d.modelAnswer,
  };
}

/** Where a problem is shown: `briefing.task` is the task field, `locations.0.place` a location's place. */
export type DraftProblems = Record<string, string>;

function plainMessage(path: string, message: string): string {
  if (path.endsWith("sha256")) return "choose an item";
  if (/place(\.(lat|lon))?$/.test(path)) return "type a place and press Enter";
  if (/expected number, received NaN|received nan/i.test(message)) return "a number is needed";
  return message;
}

/** Every problem of the draft, keyed by field; empty when it can be written. */
export function checkDraft(dir: string, d: SampleDraft): { problems: DraftProblems; input: unknown } {
  const input = draftToInput(dir, d);
  const problems: DraftProblems = {};
  const parsed = AuthorSampleInput.safeParse(input);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      let key = issue.path.join(".");
      // The place's lat and lon are one field on the form.
      key = key.replace(/\.place\.(lat|lon)$/, ".place");
      if (!(key in problems)) problems[key] = plainMessage(key, issue.message);
    }
  }
  if (!d.out.trim().endsWith(SAMPLE_EXTENSION)) {
    problems.out ??= `the package's name ends in ${SAMPLE_EXTENSION}`;
  }
  const packed = new Set(d.items);
  const unpacked = (list: { sha256: string | null }[], part: string) =>
    list.forEach((a, i) => {
      if (a.sha256 && !packed.has(a.sha256))
        problems[`${part}.${i}.sha256`] ??= "this item is not chosen for the sample";
    });
  unpacked(d.locations, "locations");
  unpacked(d.times, "times");
  unpacked(d.traps, "traps");
  const ids = d.traps.map((t) => t.id.trim());
  ids.forEach((id, i) => {
    if (id && ids.indexOf(id) !== i) problems[`traps.${i}.id`] ??= "two traps have this id";
  });
  return { problems, input };
}

/** Field labels for the summary of problems ("Hint 2, its text: must not be empty"). */
export function whereWords(key: string): string {
  const parts = key.split(".");
  const n = (i: number) => Number(parts[i]) + 1;
  const field: Record<string, string> = {
    id: "Sample id",
    title: "Title",
    out: "Where to write the package",
    items: "Items",
    modelAnswer: "Model answer",
    task: "the task",
    claims: "the claims",
    timeAllowedMinutes: "the time allowed",
    text: "its text",
    sha256: "its item",
    place: "its place",
    toleranceM: "its tolerance",
    toleranceMinutes: "its tolerance",
    explanation: "its explanation",
    window: "its window",
    from: "its start",
    to: "its end",
    kind: "its kind",
    statuses: "its statuses",
    keywords: "its keywords",
  };
  const head = parts[0]!;
  if (head === "briefing") return `Briefing, ${field[parts[1] ?? ""] ?? parts[1]}`;
  const named = { hints: "Hint", locations: "Location answer", times: "Time answer", traps: "Trap" }[head];
  if (named && parts.length >= 2) {
    const last = parts.at(-1)!;
    const sub = last === "title" ? "its title" : last === "id" ? "its id" : (field[last] ?? last);
    return `${named} ${n(1)}${parts.length > 2 ? `, ${sub}` : ""}`;
  }
  return field[head] ?? key;
}
