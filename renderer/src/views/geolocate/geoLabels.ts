/**
 * Plain words for the where-and-when vocabulary (geoEvents.ts): what the screens show; the codes
 * the ledger records stay secondary.
 */
import { formatTime } from "../../../../shared/text/times.js";
import {
  PRECISION_RADIUS_M,
  type ClaimSource,
  type ConfidenceLevel,
  type PrecisionClass,
} from "../../../../shared/ledger/geoEvents.js";

export const PRECISION_LABELS: Record<PrecisionClass, string> = {
  exact: `Exact (±${PRECISION_RADIUS_M.exact} m)`,
  vicinity: `Vicinity (±${PRECISION_RADIUS_M.vicinity} m)`,
  locality: `Locality (±${PRECISION_RADIUS_M.locality / 1000} km)`,
  radius: "Within a radius I state",
};

export const CONFIDENCE_LABELS: Record<ConfidenceLevel, string> = {
  verified: "Verified",
  "strong-possibility": "Strong possibility",
  possible: "Possible",
  unverified: "Unverified",
  false: "False (the claimed place is wrong)",
};

export const CONFIDENCE_COLOURS: Record<ConfidenceLevel, string> = {
  verified: "teal",
  "strong-possibility": "green",
  possible: "yellow",
  unverified: "gray",
  false: "red",
};

export const CLAIM_SOURCE_LABELS: Record<ClaimSource, string> = {
  metadata: "The file's metadata",
  uploader: "The uploader",
  caption: "A caption",
  "post-time": "The time it was posted",
  other: "Other",
};

/** `±10 m`, `±1.5 km`. */
export function radiusLabel(metres: number): string {
  return metres >= 1000 ? `±${(metres / 1000).toLocaleString("en", { maximumFractionDigits: 2 })} km` : `±${metres} m`;
}

/** A precision in words: the class's own label, or the stated radius. */
export function precisionLabel(precision: { class: PrecisionClass; radiusM: number }): string {
  return precision.class === "radius" ? radiusLabel(precision.radiusM) : PRECISION_LABELS[precision.class];
}

/** `2026-02-16 09:12:44 UTC` for an ISO instant: Sightline's one time format (shared/text/times.ts). */
export function utcLabel(iso: string): string {
  return formatTime(iso);
}
