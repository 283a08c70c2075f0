/** A shadow measurement as the chronolocation form holds it while the verifier works, and what it works out to. */
import { isCalendarDay, type FramePoint, type LatLonValue } from "../../../../shared/ledger/geoEvents.js";
import { elevationForRatio, fittingWindows, pixelRatio, type Window } from "./chronoMath.js";
import type { FramePixel } from "./FramePanel.js";
import { draftId } from "./geolocationDraft.js";

export interface ShadowDraft {
  id: string;
  what: string;
  mode: "frame" | "known";
  frame: Omit<FramePoint, "x" | "y"> | null;
  objectBase: FramePixel | null;
  objectTop: FramePixel | null;
  shadowBase: FramePixel | null;
  shadowTip: FramePixel | null;
  /** The numbers typed: null while a field is empty, NaN while its text states no number it accepts. */
  knownHeightM: number | null;
  shadowLengthM: number | null;
  bearingDeg: number | null;
}

/** Why a measurement works out to nothing yet, each with the one line the verifier reads. */
export const SHADOW_REASONS = {
  "no-place": "Set the place first.",
  "no-date": "Set the date first.",
  "no-shadow": "Mark the shadow's base and tip on the frame.",
  "no-known-size": "State the object's height and its shadow's length.",
  "no-object": "Mark the object's base and top on the frame.",
  "no-length": "The object or its shadow has no length: mark them again.",
  "unread-direction": "Correct its direction on the map, or clear it, to see the times of day it fits.",
} as const;

export type ShadowProblem = keyof typeof SHADOW_REASONS;

/**
 * What a measurement works out to, or why it does not yet (`problem`, and its line, `reason`): the
 * windows of the day it fits are null while the offset from UTC is not one the form accepts (they
 * are stated at the place's clock).
 */
export type ShadowResult =
  | { ok: true; ratio: number; elevationDeg: number; windows: Window[] | null }
  | { ok: false; problem: ShadowProblem; reason: string };

const refuse = (problem: ShadowProblem): ShadowResult => ({ ok: false, problem, reason: SHADOW_REASONS[problem] });

export const newShadow = (): ShadowDraft => ({
  id: draftId(),
  what: "",
  mode: "frame",
  frame: null,
  objectBase: null,
  objectTop: null,
  shadowBase: null,
  shadowTip: null,
  knownHeightM: null,
  shadowLengthM: null,
  bearingDeg: null,
});

/** What shadow `s` works out to at `place` on `date` (local, at `offset` minutes from UTC: null while unreadable). */
export function shadowResult(
  s: ShadowDraft,
  place: LatLonValue | null,
  date: string,
  offset: number | null,
): ShadowResult {
  if (!place) return refuse("no-place");
  if (!isCalendarDay(date)) return refuse("no-date");
  if (!s.shadowBase || !s.shadowTip) return refuse("no-shadow");
  let ratio: number | null;
  if (s.mode === "known") {
    if (!s.knownHeightM || !s.shadowLengthM) return refuse("no-known-size");
    ratio = s.shadowLengthM / s.knownHeightM;
  } else {
    if (!s.objectBase || !s.objectTop) return refuse("no-object");
    ratio = pixelRatio({ base: s.objectBase, top: s.objectTop }, { base: s.shadowBase, tip: s.shadowTip });
  }
  if (!ratio || ratio > 1000) return refuse("no-length");
  if (Number.isNaN(s.bearingDeg)) return refuse("unread-direction");
  return {
    ok: true,
    ratio,
    elevationDeg: elevationForRatio(ratio),
    windows: offset === null ? null : fittingWindows(place, date, offset, ratio, s.bearingDeg),
  };
}
