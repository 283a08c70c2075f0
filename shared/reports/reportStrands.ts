/**
 * The three strands of verification, kept apart as the Berkeley Protocol does: source analysis
 * (where the file came from), technical analysis (what the file says about itself, its hashes,
 * what was made from it) and content analysis (where and when it shows). A strand with no work
 * is reported as not performed, never left out.
 */
import type { ItemState } from "../ledger/caseState.js";
import type { ReportGeolocation, ReportChronolocation, ReportItem, ReportStrand, ReportTool } from "./reportModel.js";
import { formatTime } from "../text/times.js";
import { placeWords } from "./reportPlaces.js";

function uniqueTools(tools: ReportTool[]): ReportTool[] {
  const seen = new Map<string, ReportTool>();
  for (const t of tools) seen.set(`${t.name} ${t.version}`, t);
  return [...seen.values()];
}

export function sourceStrand(item: ReportItem): ReportStrand {
  const findings: string[] = [];
  const limits: string[] = [];
  for (const a of item.acquisitions) {
    const from = [a.sourceUrl, a.sourceAccount].filter(Boolean).join(" · ");
    if (from)
      findings.push(
        `#${a.seq}: collected from ${from}${a.collectedAt ? ` at ${a.collectedAt}` : ""}${a.method ? ` (${a.method})` : ""}`,
      );
    if (a.notRecorded.length) limits.push(`#${a.seq}: not recorded: ${a.notRecorded.join(", ")}`);
  }
  const claims = [...item.geolocations, ...item.chronolocations].flatMap((r) => r.claims);
  for (const c of claims) if (c.source !== "the file's metadata") findings.push(`claim by ${c.source}: ${c.detail}`);
  if (findings.length > 0) {
    limits.push("A source states where the file was found; it does not prove who made it or when it was made.");
  }
  return {
    isPerformed: findings.length > 0,
    findings,
    methods: uniqueTools(item.acquisitions.map((a) => a.tool)),
    limits,
  };
}

export function technicalStrand(item: ReportItem, state: ItemState): ReportStrand {
  const findings: string[] = [];
  const hashes = ["SHA-256", ...(item.md5 ? ["MD5"] : []), ...(item.sha1 ? ["SHA-1"] : [])];
  const methods: ReportTool[] = [];
  if (state.metadata) {
    findings.push(`read as ${state.metadata.mime} (${state.metadata.kind})`);
    if (item.metadata?.capturedAt)
      findings.push(
        `capture time in the file: ${formatTime(item.metadata.capturedAt)} (${item.metadata.capturedAtSource ?? "tag not named"})`,
      );
    for (const w of item.warnings) findings.push(`warning: ${w.message}`);
    methods.push(...state.metadata.tools);
  }
  for (const d of state.derivatives) methods.push(d.tool);
  if (state.derivatives.length) findings.push(`${state.derivatives.length} derivative file(s) made and hashed`);
  const isPerformed = state.metadata !== null || state.derivatives.length > 0;
  return {
    isPerformed,
    findings: isPerformed ? [`hashed at acquisition: ${hashes.join(", ")}`, ...findings] : [],
    methods: uniqueTools(methods),
    limits: isPerformed
      ? [
          "Metadata is what the file says about itself; it can be edited or stripped, and its absence proves nothing.",
          "The hashes prove the bytes are those acquired, not that the picture is authentic.",
        ]
      : [],
  };
}

function geoFinding(g: ReportGeolocation): string {
  if (g.outcome !== "located") return `#${g.ref.seq}: cannot be geolocated: ${g.cannotReason ?? ""}`;
  const reviews = g.reviews.length
    ? `; reviewed: ${g.reviews.map((r) => `${r.examiner} ${r.verdict === "agree" ? "agrees" : "disagrees"}`).join(", ")}`
    : "; not reviewed by a second examiner";
  return `#${g.ref.seq}: located ${g.place ? placeWords(g.place) : ""}, precision ${g.precision}, confidence ${g.confidence}, ${g.clues.length} clue(s)${reviews}`;
}

function chronoFinding(c: ReportChronolocation): string {
  return c.window
    ? `#${c.ref.seq}: on ${c.date} between ${c.window.from} and ${c.window.to} (${c.shadows.length} shadow measurement(s))`
    : `#${c.ref.seq}: on ${c.date}, the evidence does not narrow the time`;
}

export function contentStrand(item: ReportItem): ReportStrand {
  const geos = item.geolocations.filter((g) => g.isCurrent);
  const chronos = item.chronolocations.filter((c) => c.isCurrent);
  const findings = [...geos.map(geoFinding), ...chronos.map(chronoFinding)];
  const limits: string[] = [];
  for (const g of geos) {
    if (g.outcome === "located") limits.push(`Geolocation #${g.ref.seq}: ${g.precision}; confidence ${g.confidence}.`);
    if (g.outcome === "located" && g.reviews.length === 0)
      limits.push(`Geolocation #${g.ref.seq} has no second examiner's review.`);
  }
  if (chronos.length)
    limits.push("A sun-position window assumes the place and date recorded, level ground and a vertical object.");
  return {
    isPerformed: findings.length > 0,
    findings,
    methods: uniqueTools([
      ...chronos.map((c) => c.sunModel),
      ...geos.flatMap((g) => g.clues.map((c) => ({ name: `matched on ${c.layer}`, version: "" }))),
    ]),
    limits,
  };
}
