/**
 * How the training screens say figures in words: time allowed and left, distances, minutes off,
 * sizes. Pure, so the same sentences read the same wherever they appear.
 */
import { formatMinutes } from "../../../../shared/training/durations.js";
import { formatTime } from "../../../../shared/text/times.js";

export { formatMinutes, timeTakenText } from "../../../../shared/training/durations.js";

/** The time allowed, as a briefing says it. */
export function timeAllowedText(minutes: number | null): string {
  return minutes === null ? "No time limit" : formatMinutes(minutes);
}

/** What is left of the time allowed at `now`, in a plain sentence (null when there is no limit). */
export function timeLeftText(dueAt: string | null, now: number): { text: string; isOver: boolean } | null {
  if (!dueAt) return null;
  const left = (Date.parse(dueAt) - now) / 60_000;
  if (left >= 1) return { text: `${formatMinutes(Math.floor(left))} left`, isOver: false };
  if (left > 0) return { text: "Less than a minute left", isOver: false };
  return {
    text: `Time is up (${formatMinutes(Math.ceil(-left))} over): work is still accepted, and marked late`,
    isOver: true,
  };
}

/** Metres under 1 km, kilometres above: "840 m", "12.4 km". */
export function formatDistance(metres: number): string {
  if (metres < 1000) return `${Math.round(metres).toLocaleString("en")} m`;
  const km = metres / 1000;
  return `${km < 100 ? km.toFixed(1) : Math.round(km).toLocaleString("en")} km`;
}

/** Points as the scorecard prints them: at most one decimal. */
export function formatPoints(points: number): string {
  return Number.isInteger(points) ? String(points) : points.toFixed(1);
}

/** A time as every Sightline screen shows it ("2026-02-16 09:12:44 UTC"; shared/text/times.ts). */
export function formatInstant(iso: string): string {
  return formatTime(iso);
}

/** Plain names of the trap kinds of a sample's answer key. */
export const TRAP_KIND_WORDS: Record<string, string> = {
  "stripped-reupload": "Stripped re-upload",
  "false-gps": "GPS tag that lies",
  "edited-near-duplicate": "Edited near-duplicate",
  "container-date-mismatch": "Container date disagrees with the content",
  other: "Other",
};
