/**
 * Coordinates as people paste them from maps, GIS tools and reports, read into one WGS84 point.
 *
 * Conventions: a point is `{ lat, lon }` in decimal degrees, north and east positive, south and
 * west negative. Text without hemisphere letters is read latitude first (`16.5, -3.9`), as Google
 * Maps, GeoHack and most OSINT tools write it; with letters (`3.9W 16.5N`) the letters decide.
 *
 * Accepted: decimal degrees (`16.5, -3.9`, `16.5 -3.9`, `16.5N 3.9W`, `N16.5 W3.9`), degrees
 * minutes seconds (`16°30'00"N 3°54'00.5"W`, with ′ ″ or spaces), degrees and decimal minutes
 * (`16°30.5'N`), and MGRS (`30QVD1234567890`, with or without spaces). Anything that could be read
 * two ways is rejected with a one-line reason rather than guessed: a misplaced point in an evidence
 * record is worse than a question to the examiner. Reasons never quote the input (it is hostile).
 *
 * MGRS maths is the `mgrs` package's (proj4js); this module only checks the grammar around it.
 */
import * as mgrsNamespace from "mgrs";

/** A WGS84 point in decimal degrees: lat in [-90, 90] (south negative), lon in [-180, 180] (west negative). */
export interface LatLon {
  lat: number;
  lon: number;
}

/** The notation a coordinate was written in. */
export type CoordinateNotation = "decimal" | "dms" | "ddm" | "mgrs";

/** A parsed coordinate. */
export interface ParsedCoordinate {
  point: LatLon;
  notation: CoordinateNotation;
  /**
   * For MGRS only: the side in metres of the grid square the reference names (1 for ten digits,
   * 100000 for none). `point` is the square's centre, so the place is known to within this.
   */
  squareMeters?: number;
}

export type CoordinateParse = { ok: true; value: ParsedCoordinate } | { ok: false; reason: string };

/** MGRS precision in digits per axis: 5 is 1 m, 4 is 10 m, ... 0 is the 100 km square. */
export type MgrsDigits = 0 | 1 | 2 | 3 | 4 | 5;

/** Longer than any honest coordinate (a spaced DMS pair with decimals is about 45 characters). */
export const MAX_COORDINATE_LENGTH = 120;

/*
 * mgrs ships a minified UMD build as `main` and an ESM build as `module`. Node's ESM loader sees the
 * UMD file as CommonJS whose named exports it cannot detect, so it offers only `default`; bundlers
 * pick the ESM build, which has only named exports. Take whichever this runtime gave.
 */
type Mgrs = typeof mgrsNamespace;
const mgrs: Mgrs = (mgrsNamespace as Mgrs & { default?: Mgrs }).default ?? mgrsNamespace;

const fail = (reason: string): CoordinateParse => ({ ok: false, reason });

// C0/C1 controls, bidi overrides and isolates, zero-width characters, BOM, line/paragraph separators.
const UNSAFE = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\u200b-\u200f\u2028-\u202e\u2060-\u2069\ufeff]/;
const MARKUP = /[<>&{}\\`]/;

/** Folds the look-alike signs tools use into `°`, `'`, `"`, `-` and single spaces. */
function normalise(text: string): string {
  return (
    text
      .replace(/[\t\n\r\u00a0\u2000-\u200a\u202f\u205f\u3000]+/g, " ")
      .replace(/[º˚]/g, "°")
      .replace(/[″“”]/g, '"')
      .replace(/[′‘’´]/g, "'")
      .replace(/''/g, '"')
      // The minus sign and figure dash only: an en or em dash may be a range, so it stays garbage.
      .replace(/[\u2212\u2012]/g, "-")
      .trim()
  );
}

// ---------------------------------------------------------------------------------------------
// MGRS

// Zone 1–60, latitude band C–X (no I, O), two 100 km square letters (no I, O), 0–10 digits.
const MGRS = /^(\d{1,2})([C-HJ-NP-X])([A-HJ-NP-Z][A-HJ-NP-V])(\d*)$/;
const looksLikeMgrs = (compact: string): boolean => /^\d{1,2}[A-Z]{3}/.test(compact);

function parseMgrs(compact: string): CoordinateParse {
  const m = MGRS.exec(compact);
  if (!m) return fail("not an MGRS reference: expected zone, band, square letters and digits, e.g. 30QVD1234567890");
  const zone = Number(m[1]);
  const band = m[2]!;
  const digits = m[4]!;
  if (zone < 1 || zone > 60) return fail("MGRS zone must be 1 to 60");
  if (digits.length % 2 !== 0) return fail("MGRS easting and northing must have the same number of digits");
  if (digits.length > 10) return fail("MGRS reference has more than 5 digits per axis");
  let lon: number;
  let lat: number;
  try {
    [lon, lat] = mgrs.toPoint(compact);
  } catch {
    return fail("MGRS reference does not name a grid square");
  }
  if (!Number.isFinite(lat) || !Number.isFinite(lon)) return fail("MGRS reference does not name a grid square");
  const squareMeters = 10 ** (5 - digits.length / 2);
  // The library places the square letters in the 2,000 km northing cycle nearest the band but does
  // not check they land in it; a band letter that disagrees with the square is a typo, not a place.
  const bandSouth = band === "X" ? 72 : -80 + 8 * "CDEFGHJKLMNPQRSTUVWX".indexOf(band);
  const bandNorth = band === "X" ? 84 : bandSouth + 8;
  const slack = squareMeters / 111_000 + 0.01;
  if (lat < bandSouth - slack || lat > bandNorth + slack) {
    return fail(`MGRS square ${m[3]} is not in latitude band ${band} of zone ${zone}`);
  }
  return { ok: true, value: { point: { lat, lon }, notation: "mgrs", squareMeters } };
}

// ---------------------------------------------------------------------------------------------
// Degrees, with or without minutes and seconds

type Token =
  | { kind: "number"; text: string; sign: -1 | 1 | 0 }
  | { kind: "unit"; unit: "°" | "'" | '"' }
  | { kind: "hemisphere"; letter: "N" | "S" | "E" | "W" }
  | { kind: "separator" };

const TOKEN = /\s*(?:([+-]?)(\d{1,3}(?:\.\d{1,12})?)|([°'"])|([NSEWnsew])|([,;]))/y;

function tokenise(text: string): Token[] | null {
  const tokens: Token[] = [];
  TOKEN.lastIndex = 0;
  while (TOKEN.lastIndex < text.length) {
    const at = TOKEN.lastIndex;
    const m = TOKEN.exec(text);
    if (!m || TOKEN.lastIndex === at) return null;
    if (m[2] !== undefined) {
      // A digit straight after a number means it had more than 3 integer or 12 decimal digits.
      if (/^[\d.]/.test(text.slice(TOKEN.lastIndex))) return null;
      // `16.5-3.9` may be a range or a typo; two signed numbers need a space or comma between them.
      if (m[1] && !/^\s/.test(m[0]) && tokens.at(-1)?.kind === "number") return null;
      tokens.push({ kind: "number", text: m[2], sign: m[1] === "-" ? -1 : m[1] === "+" ? 1 : 0 });
    } else if (m[3] !== undefined) tokens.push({ kind: "unit", unit: m[3] as "°" | "'" | '"' });
    else if (m[4] !== undefined)
      tokens.push({ kind: "hemisphere", letter: m[4].toUpperCase() as "N" | "S" | "E" | "W" });
    else tokens.push({ kind: "separator" });
  }
  return tokens;
}

interface Component {
  degrees: number;
  sign: -1 | 1 | 0;
  hemisphere: "N" | "S" | "E" | "W" | null;
  notation: Exclude<CoordinateNotation, "mgrs">;
}

/** Reads one component from `tokens` at `at`; returns it and the next index, or a reason. */
function readComponent(tokens: Token[], at: number): { component: Component; next: number } | string {
  let i = at;
  let prefix: Component["hemisphere"] = null;
  const peek = () => tokens[i];
  const first = peek();
  if (first?.kind === "hemisphere") {
    prefix = first.letter;
    i++;
  }
  const deg = peek();
  if (deg?.kind !== "number") return "expected two coordinates, e.g. 16.5, -3.9";
  i++;
  const parts: string[] = [deg.text];
  const degreeMark = peek();
  if (degreeMark?.kind === "unit" && degreeMark.unit === "°") {
    i++;
    for (const unit of ["'", '"'] as const) {
      const value = peek();
      const mark = tokens[i + 1];
      if (value?.kind !== "number" || mark?.kind !== "unit" || mark.unit !== unit) break;
      if (value.sign !== 0) return "minutes and seconds cannot carry a sign";
      parts.push(value.text);
      i += 2;
    }
  }
  const unit = peek();
  if (unit?.kind === "unit") return "degree, minute and second marks out of order";
  let suffix: Component["hemisphere"] = null;
  const after = peek();
  if (prefix === null && after?.kind === "hemisphere") {
    suffix = after.letter;
    i++;
  }
  // Only the last part may have a fraction: 16.5°30' is not a number anyone means.
  if (parts.slice(0, -1).some((p) => p.includes(".")))
    return "only the last of degrees, minutes and seconds may have decimals";
  const [d, min = "0", sec = "0"] = parts.map(Number) as [number, number?, number?];
  if (Number(min) >= 60 || Number(sec) >= 60) return "minutes and seconds must be below 60";
  return {
    component: {
      degrees: d + Number(min) / 60 + Number(sec) / 3600,
      sign: deg.sign,
      hemisphere: prefix ?? suffix,
      notation: parts.length === 1 ? "decimal" : parts.length === 2 ? "ddm" : "dms",
    },
    next: i,
  };
}

// Marks make mixed notations unambiguous (`16°30'N 3°54'30"W`); the pair reports its finest one.
const NOTATION_DETAIL = ["decimal", "ddm", "dms"] as const;

function parseDegrees(text: string): CoordinateParse {
  // `16,5` is a decimal comma in much of the world, or the integer pair 16, 5: not ours to pick.
  if (/\d,\d/.test(text) && !text.includes(".")) return fail("a comma between digits could be a decimal comma");
  const tokens = tokenise(text);
  if (!tokens) return fail("not a coordinate: expected decimal degrees, degrees minutes seconds or MGRS");
  const components: Component[] = [];
  let i = 0;
  let separators = 0;
  while (i < tokens.length) {
    if (components.length === 2) return fail("more than two coordinates");
    const read = readComponent(tokens, i);
    if (typeof read === "string") return fail(read);
    components.push(read.component);
    i = read.next;
    if (tokens[i]?.kind === "separator") {
      separators++;
      i++;
    }
  }
  if (components.length !== 2) return fail("expected two coordinates, latitude and longitude");
  if (separators > 1 || (separators === 1 && tokens.at(-1)?.kind === "separator"))
    return fail("stray comma or semicolon");
  const [a, b] = components as [Component, Component];
  if (components.some((c) => c.sign !== 0 && c.hemisphere !== null)) {
    return fail("a coordinate has both a sign and a hemisphere letter");
  }
  const hasLetters = components.map((c) => c.hemisphere !== null);
  if (hasLetters[0] !== hasLetters[1]) return fail("give hemisphere letters on both coordinates or on neither");

  let latitude = a;
  let longitude = b;
  if (a.hemisphere && b.hemisphere) {
    const isNorthSouth = (c: Component) => c.hemisphere === "N" || c.hemisphere === "S";
    if (isNorthSouth(a) === isNorthSouth(b)) return fail("need one N/S and one E/W hemisphere letter");
    if (!isNorthSouth(a)) [latitude, longitude] = [b, a];
  }
  const signed = (c: Component) =>
    c.sign === -1 || c.hemisphere === "S" || c.hemisphere === "W" ? -c.degrees : c.degrees;
  const lat = signed(latitude);
  const lon = signed(longitude);
  if (Math.abs(lat) > 90) {
    return fail(hasLetters[0] ? "latitude beyond 90°" : "latitude beyond 90° (latitude comes first)");
  }
  if (Math.abs(lon) > 180) return fail("longitude beyond 180°");
  // -0 would print as "-0.000000" and read as a southern or western hemisphere.
  const notation = NOTATION_DETAIL[Math.max(NOTATION_DETAIL.indexOf(a.notation), NOTATION_DETAIL.indexOf(b.notation))]!;
  return { ok: true, value: { point: { lat: lat + 0, lon: lon + 0 }, notation } };
}

/** Reads a pasted coordinate; see the header for the notations and conventions. Never guesses. */
export function parseCoordinates(input: unknown): CoordinateParse {
  if (typeof input !== "string") return fail("not text");
  if (input.length > MAX_COORDINATE_LENGTH) return fail(`longer than ${MAX_COORDINATE_LENGTH} characters`);
  if (UNSAFE.test(input)) return fail("contains control or invisible characters");
  if (MARKUP.test(input)) return fail("contains markup characters");
  const text = normalise(input);
  if (text === "") return fail("empty");
  const compact = text.replace(/ /g, "").toUpperCase();
  if (looksLikeMgrs(compact)) return parseMgrs(compact);
  return parseDegrees(text);
}

// ---------------------------------------------------------------------------------------------
// Formatting

function assertPoint(p: LatLon): void {
  if (!Number.isFinite(p.lat) || !Number.isFinite(p.lon) || Math.abs(p.lat) > 90 || Math.abs(p.lon) > 180) {
    throw new RangeError("not a WGS84 point");
  }
}

/** `16.500000, -3.900000`: latitude first, 6 decimals (about 0.1 m), the form most tools read. */
export function formatDecimal(p: LatLon): string {
  assertPoint(p);
  const fixed = (v: number) => (Math.round(v * 1e6) / 1e6 + 0).toFixed(6);
  return `${fixed(p.lat)}, ${fixed(p.lon)}`;
}

/** `16°30'00.0"N 3°54'00.0"W` (Google Maps' form), seconds with `secondDecimals` decimals (0–3). */
export function formatDms(p: LatLon, secondDecimals = 1): string {
  assertPoint(p);
  if (!Number.isInteger(secondDecimals) || secondDecimals < 0 || secondDecimals > 3) {
    throw new RangeError("secondDecimals must be 0 to 3");
  }
  const axis = (value: number, positive: string, negative: string) => {
    // Round once, in whole units of the last printed digit, so 59.96" never prints as 60.0".
    const scale = 10 ** secondDecimals;
    const units = Math.round(Math.abs(value) * 3600 * scale);
    const degrees = Math.floor(units / (3600 * scale));
    const minutes = Math.floor((units % (3600 * scale)) / (60 * scale));
    const seconds = (units % (60 * scale)) / scale;
    const secondsText = seconds.toFixed(secondDecimals).padStart(secondDecimals ? 3 + secondDecimals : 2, "0");
    const hemisphere = units === 0 ? positive : value < 0 ? negative : positive;
    return `${degrees}°${String(minutes).padStart(2, "0")}'${secondsText}"${hemisphere}`;
  };
  return `${axis(p.lat, "N", "S")} ${axis(p.lon, "E", "W")}`;
}

/**
 * `30Q VD 12345 67890` at `digits` per axis (5 = 1 m, default). Null outside 80°S–84°N, where
 * MGRS switches to UPS, which the `mgrs` package does not implement.
 */
export function formatMgrs(p: LatLon, digits: MgrsDigits = 5): string | null {
  assertPoint(p);
  if (!Number.isInteger(digits) || digits < 0 || digits > 5) throw new RangeError("MGRS digits must be 0 to 5");
  if (p.lat < -80 || p.lat > 84) return null;
  let compact: string;
  try {
    compact = mgrs.forward([p.lon, p.lat], digits);
  } catch {
    return null;
  }
  const m = /^(\d{1,2}[A-Z])([A-Z]{2})(\d*)$/.exec(compact);
  if (!m) return null;
  const numbers = m[3]!;
  const half = numbers.length / 2;
  return [m[1], m[2], numbers.slice(0, half), numbers.slice(half)].filter(Boolean).join(" ");
}
