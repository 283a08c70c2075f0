/** A shadow measurement as the chronolocation form holds it while the verifier works, and what it works out to. */
import type { FramePoint } from "../../../../shared/ledger/geoEvents.js";
import type { Window } from "./chronoMath.js";
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
  knownHeightM: number | null;
  shadowLengthM: number | null;
  bearingDeg: number | null;
}

/** What a measurement works out to, or why it does not yet. */
export type ShadowResult =
  { ok: true; ratio: number; elevationDeg: number; windows: Window[] } | { ok: false; reason: string };

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
