/**
 * Geolocations as files other tools open: GeoJSON (RFC 7946), KML (Google Earth, QGIS) and the
 * rows of a CSV table. Pure: electron/services/geo/geoExports.ts gathers the proposals, turns the
 * rows into CSV text with csv-stringify (whose types need Node) and writes the file.
 *
 * Sensitive places (a witness could be found from them) are handled as the examiner chose:
 * `rounded` to two decimals of a degree (about 1 km; an area becomes its rounded centroid),
 * `omitted` (left out and counted), or `included` as recorded. Items that cannot be geolocated
 * have no place: they are left out of GeoJSON and KML and listed in CSV with empty coordinates.
 */
import { toKML } from "@placemarkio/tokml";
import type { Feature, FeatureCollection, Point, Polygon, Position } from "geojson";
import type { GeolocationInfo } from "../api/geoContract.js";
import type { EventRef, GeoExportFormat, LatLonValue } from "../ledger/geoEvents.js";
import { SENSITIVE_HANDLING } from "../ledger/geoEvents.js";
import { csvSafeInert } from "../text/csvSafe.js";
import { inertText } from "../text/inertText.js";

export type SensitiveHandling = (typeof SENSITIVE_HANDLING)[number];

/** One proposal to export, with the name its item goes by. */
export interface GeoExportEntry {
  info: GeolocationInfo;
  itemName: string;
}

/** What is said about the export as a whole (in GeoJSON's `sightline` member and the KML document). */
export interface GeoExportMeta {
  caseId: string;
  head: EventRef;
  exportedAt: string;
  sensitive: SensitiveHandling;
  tool: { name: string; version: string };
}

/** A proposal as it goes into the file: its place already rounded or left as recorded. */
export interface GeoExportRow {
  ref: EventRef;
  itemSha256: string;
  itemName: string;
  examiner: string;
  proposedAt: string;
  outcome: "located" | "cannot-geolocate";
  /** Null when the item cannot be geolocated. */
  place: { kind: "point"; at: LatLonValue } | { kind: "area"; ring: LatLonValue[]; centroid: LatLonValue } | null;
  precisionClass: string | null;
  /** The recorded radius, widened by the rounding when the place was rounded. */
  precisionRadiusM: number | null;
  confidence: string | null;
  cannotReason: string | null;
  clueCount: number;
  sensitive: boolean;
  isRounded: boolean;
  reviewsAgree: number;
  reviewsDisagree: number;
}

export interface GeoExportPlan {
  rows: GeoExportRow[];
  /** Sensitive proposals left out (`omitted`). */
  omitted: number;
}

/**
 * Rounding to 0.01° moves a point by at most half the diagonal of a 0.01° cell: 0.005° of
 * latitude and of longitude, √2 × 0.005 × 111.32 km ≈ 787 m at the equator, less elsewhere.
 */
export const ROUNDING_ERROR_M = 787;

const round2 = (v: number) => Math.round(v * 100) / 100;

/** Rows for the proposals, sensitive ones rounded or left out as `sensitive` says. */
export function planGeoExport(entries: readonly GeoExportEntry[], sensitive: SensitiveHandling): GeoExportPlan {
  const rows: GeoExportRow[] = [];
  let omitted = 0;
  for (const { info, itemName } of entries) {
    const p = info.payload;
    if (p.sensitive && sensitive === "omitted") {
      omitted++;
      continue;
    }
    const isRounded = p.sensitive && sensitive === "rounded" && p.place !== null;
    let place: GeoExportRow["place"] = null;
    if (p.place?.shape === "point") {
      const at = { lat: p.place.lat, lon: p.place.lon };
      place = { kind: "point", at: isRounded ? { lat: round2(at.lat), lon: round2(at.lon) } : at };
    } else if (p.place?.shape === "area") {
      const centroid = ringCentroid(p.place.ring);
      place = isRounded
        ? { kind: "point", at: { lat: round2(centroid.lat), lon: round2(centroid.lon) } }
        : { kind: "area", ring: p.place.ring, centroid };
    }
    const radius = p.precision?.radiusM ?? null;
    rows.push({
      ref: info.ref,
      itemSha256: p.sha256,
      itemName,
      examiner: info.actorName,
      proposedAt: info.ts,
      outcome: p.outcome,
      place,
      precisionClass: p.precision?.class ?? null,
      precisionRadiusM: radius === null ? null : isRounded ? radius + ROUNDING_ERROR_M : radius,
      confidence: p.confidence,
      cannotReason: p.cannotReason,
      clueCount: p.clues.length,
      sensitive: p.sensitive,
      isRounded,
      reviewsAgree: info.reviews.filter((r) => r.payload.verdict === "agree").length,
      reviewsDisagree: info.reviews.filter((r) => r.payload.verdict === "disagree").length,
    });
  }
  return { rows, omitted };
}

/** The proposals a file of `format` holds: GeoJSON and KML only those with a place. */
export function rowsWritten(plan: GeoExportPlan, format: GeoExportFormat): GeoExportRow[] {
  return format === "csv" ? plan.rows : plan.rows.filter((r) => r.place !== null);
}

/**
 * The centroid of a polygon (its outer ring, not closed), by the shoelace formula on longitude and
 * latitude: written out because it is three lines and no installed library offers it for plain
 * coordinates; plane geometry is exact enough for the areas a geolocation draws (a few km).
 */
export function ringCentroid(ring: readonly LatLonValue[]): LatLonValue {
  // Relative to the first vertex: products of small numbers keep their precision.
  const origin = ring[0]!;
  let twiceArea = 0;
  let cx = 0;
  let cy = 0;
  for (let i = 0; i < ring.length; i++) {
    const a = ring[i]!;
    const b = ring[(i + 1) % ring.length]!;
    const [ax, ay, bx, by] = [a.lon - origin.lon, a.lat - origin.lat, b.lon - origin.lon, b.lat - origin.lat];
    const cross = ax * by - bx * ay;
    twiceArea += cross;
    cx += (ax + bx) * cross;
    cy += (ay + by) * cross;
  }
  if (Math.abs(twiceArea) < 1e-18) {
    // Degenerate (all points on a line): the mean of the vertices.
    const n = ring.length;
    return { lat: ring.reduce((s, p) => s + p.lat, 0) / n, lon: ring.reduce((s, p) => s + p.lon, 0) / n };
  }
  return { lat: origin.lat + cy / (3 * twiceArea), lon: origin.lon + cx / (3 * twiceArea) };
}

/** RFC 7946 §3.1.6: a closed ring, the exterior counter-clockwise, as [longitude, latitude]. */
function exteriorRing(ring: readonly LatLonValue[]): Position[] {
  let twiceArea = 0;
  for (let i = 0; i < ring.length; i++) {
    const a = ring[i]!;
    const b = ring[(i + 1) % ring.length]!;
    twiceArea += a.lon * b.lat - b.lon * a.lat;
  }
  const ordered = twiceArea < 0 ? [...ring].reverse() : [...ring];
  const positions = ordered.map((p) => [p.lon, p.lat]);
  return [...positions, positions[0]!];
}

function geometryOf(row: GeoExportRow): Point | Polygon | null {
  if (!row.place) return null;
  if (row.place.kind === "point") return { type: "Point", coordinates: [row.place.at.lon, row.place.at.lat] };
  return { type: "Polygon", coordinates: [exteriorRing(row.place.ring)] };
}

function properties(row: GeoExportRow) {
  return {
    itemSha256: row.itemSha256,
    itemName: row.itemName,
    proposalSeq: row.ref.seq,
    proposalHash: row.ref.hash,
    examiner: row.examiner,
    proposedAt: row.proposedAt,
    outcome: row.outcome,
    confidence: row.confidence,
    precision: row.precisionClass,
    precisionRadiusM: row.precisionRadiusM,
    clueCount: row.clueCount,
    sensitive: row.sensitive,
    coordinatesRounded: row.isRounded,
    reviewsAgree: row.reviewsAgree,
    reviewsDisagree: row.reviewsDisagree,
  };
}

function features(plan: GeoExportPlan): Feature<Point | Polygon, ReturnType<typeof properties>>[] {
  return rowsWritten(plan, "geojson").map((row) => ({
    type: "Feature",
    id: row.ref.hash,
    geometry: geometryOf(row)!,
    properties: properties(row),
  }));
}

/** An RFC 7946 FeatureCollection; the export's own facts in the foreign member `sightline`. */
export function geoJsonText(plan: GeoExportPlan, meta: GeoExportMeta): string {
  const collection: FeatureCollection & { sightline: object } = {
    type: "FeatureCollection",
    sightline: {
      caseId: meta.caseId,
      head: meta.head,
      exportedAt: meta.exportedAt,
      sensitive: meta.sensitive,
      sensitiveOmitted: plan.omitted,
      cannotGeolocate: plan.rows.filter((r) => r.place === null).length,
      tool: meta.tool,
    },
    features: features(plan),
  };
  return JSON.stringify(collection, null, 2) + "\n";
}

/**
 * Text for a KML document. Google Earth shows a placemark's name, description and data in an
 * HTML balloon after the XML is read, so XML escaping alone (which tokml does) would hand it
 * markup from an item's name: every text is first made inert (controls and bidi overrides
 * visible, inertText) and HTML-escaped, so a reader sees `<script>` as those eight characters.
 */
export function htmlInert(text: string): string {
  return inertText(text).replace(/[&<>"']/g, (ch) => `&#${ch.charCodeAt(0)};`);
}

/** A KML 2.2 document of the located proposals (tokml), each placemark named after its item. */
export function kmlText(plan: GeoExportPlan, meta: GeoExportMeta): string {
  const placemarks = features(plan).map((f) => {
    const row = f.properties;
    const lines = [
      `Item ${row.itemName} (SHA-256 ${row.itemSha256})`,
      `Geolocated by ${row.examiner} at ${row.proposedAt} (event ${row.proposalSeq}, ${row.proposalHash})`,
      `Confidence: ${row.confidence}; precision: ${row.precision}, ±${row.precisionRadiusM} m`,
      `${row.clueCount} clue(s); reviews: ${row.reviewsAgree} agree, ${row.reviewsDisagree} disagree`,
      ...(row.coordinatesRounded ? ["Sensitive: coordinates rounded to about 1 km"] : []),
    ];
    const data = Object.fromEntries(Object.entries(row).map(([k, v]) => [k, typeof v === "string" ? htmlInert(v) : v]));
    return {
      ...f,
      properties: { name: htmlInert(row.itemName), description: lines.map(htmlInert).join("<br/>"), ...data },
    };
  });
  const kml = toKML({ type: "FeatureCollection", features: placemarks });
  const header = htmlInert(
    `Sightline geolocations of case ${meta.caseId}, ledger head ${meta.head.seq} ${meta.head.hash}, exported ${meta.exportedAt}`,
  );
  // tokml writes no XML declaration and no document name: both are added so every reader takes it as UTF-8 KML.
  return `<?xml version="1.0" encoding="UTF-8"?>\n${kml.replace("<Document>", `<Document><name>${xmlText(header)}</name>`)}\n`;
}

/** XML text content: the three characters XML itself needs escaped. */
function xmlText(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}

export const CSV_COLUMNS = [
  "item_sha256",
  "item_name",
  "latitude",
  "longitude",
  "shape",
  "area_wkt",
  "outcome",
  "cannot_reason",
  "confidence",
  "precision",
  "precision_radius_m",
  "sensitive",
  "coordinates_rounded",
  "examiner",
  "proposed_at",
  "proposal_seq",
  "proposal_hash",
  "clue_count",
  "reviews_agree",
  "reviews_disagree",
] as const;

/**
 * A text cell a spreadsheet cannot run: Excel, LibreOffice and Google Sheets take a cell that
 * starts with `=`, `+`, `-` or `@` as a formula (and TAB or CR before one still counts), so an
 * item named `=HYPERLINK("http://…")` would become a live link or worse when the CSV is opened
 * (OWASP "CSV injection"). Such a cell is prefixed with `'`, which shows the text as typed.
 * Controls and bidi overrides are made visible (inertText). Numbers are written as numbers.
 */
export function spreadsheetSafe(text: string): string {
  return csvSafeInert(text);
}

/** The CSV table, header first: every proposal, with empty coordinates for those without a place. */
export function csvTable(plan: GeoExportPlan): (string | number)[][] {
  const rows = plan.rows.map((row) => {
    const at = row.place === null ? null : row.place.kind === "point" ? row.place.at : row.place.centroid;
    const cells: Record<(typeof CSV_COLUMNS)[number], string | number> = {
      item_sha256: row.itemSha256,
      item_name: spreadsheetSafe(row.itemName),
      latitude: at?.lat ?? "",
      longitude: at?.lon ?? "",
      shape: row.place?.kind ?? "",
      area_wkt: row.place?.kind === "area" ? wktPolygon(row.place.ring) : "",
      outcome: row.outcome,
      cannot_reason: spreadsheetSafe(row.cannotReason ?? ""),
      confidence: row.confidence ?? "",
      precision: row.precisionClass ?? "",
      precision_radius_m: row.precisionRadiusM ?? "",
      sensitive: row.sensitive ? "yes" : "no",
      coordinates_rounded: row.isRounded ? "yes" : "no",
      examiner: spreadsheetSafe(row.examiner),
      proposed_at: row.proposedAt,
      proposal_seq: row.ref.seq,
      proposal_hash: row.ref.hash,
      clue_count: row.clueCount,
      reviews_agree: row.reviewsAgree,
      reviews_disagree: row.reviewsDisagree,
    };
    return CSV_COLUMNS.map((c) => cells[c]);
  });
  return [[...CSV_COLUMNS], ...rows];
}

/** WKT of the area, exterior counter-clockwise and closed (QGIS reads the column as geometry). */
function wktPolygon(ring: readonly LatLonValue[]): string {
  return `POLYGON ((${exteriorRing(ring)
    .map(([lon, lat]) => `${lon} ${lat}`)
    .join(", ")}))`;
}
