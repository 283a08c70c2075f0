/**
 * Metadata readings in one shape (ExpectedMetadata), so `sightline inspect`, exiftool and the
 * corpus's known values compare field by field: capture time by instant and stated offset, GPS
 * within 1e-6 degrees, camera, software and dimensions exactly.
 */
import type { InspectResult } from "../../shared/media/metadata.js";
import type { ExpectedMetadata } from "./mediaCorpus.js";

export function fromInspect(r: InspectResult): ExpectedMetadata {
  const m = r.metadata;
  return {
    capturedAt: m.capturedAt,
    gps: m.gps,
    make: m.camera?.make ?? null,
    model: m.camera?.model ?? null,
    software: m.software,
    width: m.dimensions?.width ?? -1,
    height: m.dimensions?.height ?? -1,
  };
}

const text = (v: unknown): string | null => (v === undefined || v === null || v === "" ? null : String(v));

/** "2026:02:16 09:12:44" (+ "+01:00") → "2026-02-16T09:12:44+01:00". */
function exifDate(date: unknown, offset: unknown = null): string | null {
  const m = /^(\d{4}):(\d\d):(\d\d) (\d\d:\d\d:\d\d)([+-]\d\d:\d\d|Z)?/.exec(String(date ?? ""));
  if (!m || m[1] === "0000") return null;
  return `${m[1]}-${m[2]}-${m[3]}T${m[4]}${m[5] ?? text(offset) ?? ""}`;
}

/** exiftool -j -n -G's record in the same shape; QuickTime CreateDate is UTC by the format's definition. */
export function fromExiftool(rec: Record<string, unknown>): ExpectedMetadata {
  const capturedAt =
    exifDate(rec["EXIF:DateTimeOriginal"], rec["EXIF:OffsetTimeOriginal"]) ??
    exifDate(rec["QuickTime:CreationDate"]) ??
    exifDate(rec["QuickTime:CreateDate"], "Z");
  // GPS written only in XMP has no Composite latitude and longitude in exiftool's record.
  const lat = rec["Composite:GPSLatitude"] ?? rec["XMP:GPSLatitude"];
  const lon = rec["Composite:GPSLongitude"] ?? rec["XMP:GPSLongitude"];
  const alt = rec["Composite:GPSAltitude"];
  const [width, height] = String(rec["Composite:ImageSize"] ?? "-1 -1")
    .split(/[ x]/)
    .map(Number);
  return {
    capturedAt,
    gps:
      typeof lat === "number" && typeof lon === "number"
        ? { lat, lon, altitude: typeof alt === "number" ? alt : null }
        : null,
    make: text(rec["EXIF:Make"] ?? rec["QuickTime:Make"]),
    model: text(rec["EXIF:Model"] ?? rec["QuickTime:Model"]),
    software: text(rec["EXIF:Software"] ?? rec["QuickTime:Software"]),
    width: width!,
    height: height!,
  };
}

/** The instant and the stated offset (minutes; null when none) of an ISO 8601 time. */
function instantAndOffset(iso: string): { instant: number; offsetMinutes: number | null } | string {
  const m = /^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d+)?)(Z|([+-])(\d\d):?(\d\d))?$/.exec(iso);
  if (!m) return `not ISO 8601: ${JSON.stringify(iso)}`;
  const offsetMinutes = !m[2] ? null : m[2] === "Z" ? 0 : (m[3] === "-" ? -1 : 1) * (+m[4]! * 60 + +m[5]!);
  // Without an offset the wall-clock time is compared as if it were UTC on both sides.
  const zone = offsetMinutes === null ? "Z" : m[2] === "Z" ? "Z" : `${m[3]}${m[4]}:${m[5]}`;
  return { instant: Date.parse(`${m[1]}${zone}`), offsetMinutes };
}

/** Every field where `actual` differs from `reference`, as sentences (GPS within 1e-6). */
export function differences(actual: ExpectedMetadata, reference: ExpectedMetadata): string[] {
  const out: string[] = [];
  const a = actual.capturedAt === null ? null : instantAndOffset(actual.capturedAt);
  const r = reference.capturedAt === null ? null : instantAndOffset(reference.capturedAt);
  if (typeof a === "string") out.push(`capturedAt ${a}`);
  else if (
    (a === null) !== (r === null) ||
    (a && r && typeof r !== "string" && (a.instant !== r.instant || a.offsetMinutes !== r.offsetMinutes))
  ) {
    out.push(`capturedAt ${actual.capturedAt} ≠ ${reference.capturedAt}`);
  }
  const close = (x: number | null, y: number | null) => (x === null || y === null ? x === y : Math.abs(x - y) <= 1e-6);
  const [ga, gr] = [actual.gps, reference.gps];
  if (
    (ga === null) !== (gr === null) ||
    (ga && gr && !(close(ga.lat, gr.lat) && close(ga.lon, gr.lon) && close(ga.altitude, gr.altitude)))
  ) {
    out.push(`gps ${JSON.stringify(ga)} ≠ ${JSON.stringify(gr)}`);
  }
  for (const key of ["make", "model", "software", "width", "height"] as const) {
    if (actual[key] !== reference[key])
      out.push(`${key} ${JSON.stringify(actual[key])} ≠ ${JSON.stringify(reference[key])}`);
  }
  return out;
}
