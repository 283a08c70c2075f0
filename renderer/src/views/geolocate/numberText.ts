/**
 * Numbers typed into the where-and-when forms' plain text fields (the radius, the offset from UTC, a
 * shadow's object height, length and direction).
 * They are text fields read here, not number inputs: a number input that formats as it goes puts
 * the caret back on a timer, and on a loaded machine typed digits landed out of order ('750' became
 * '507'). What is typed stays as typed; this says what number it is, or why it is none, in one line,
 * and what a step up or down from it is (the fields are spin buttons: NumberTextField.tsx).
 */
import { MAX_RADIUS_M } from "./geolocationDraft.js";

/** What a field accepts, and how its refusals name it. */
export interface NumberField {
  /** The field in a sentence, lower case: "the radius". */
  what: string;
  /** Its unit, plural: "metres". */
  unit: string;
  /** A number it accepts, shown when the text is not a number: "750". */
  example: string;
  /** The smallest accepted; with `isMinExcluded`, only numbers above it ("a positive number"). */
  min: number;
  isMinExcluded?: boolean;
  /** The largest accepted, and how a refusal says it ("1,000 km (1,000,000 m)"; else "840 minutes"). */
  max: number;
  maxText?: string;
  /** How a refusal says the smallest ("−840 minutes (UTC−14:00)"; else "-840 minutes"). */
  minText?: string;
  /** Whole numbers only. */
  isWhole?: boolean;
  /**
   * The range is a full turn, as a bearing's is: `max` names the same direction as `min`, so it
   * reads as `min` (360° is north, 0°), and the steps go round instead of stopping (355 up to 0, 0
   * down to 355).
   */
  isCircular?: boolean;
  /** What the Up and Down keys add and take away, and Page Up and Page Down. */
  step: number;
  bigStep: number;
  /** A reason more helpful than "not a number" for text that is not one, or null: "+14:00" → "type 840". */
  hint?: (trimmed: string) => string | null;
}

export type NumberRead = { ok: true; value: number } | { ok: false; reason: string };

/** Control, format (bidi overrides and isolates, zero-width marks), line and paragraph separators. */
const HIDDEN_CHARACTERS = /[\p{Cc}\p{Cf}\p{Zl}\p{Zp}]/u;
/** An optional sign (hyphen-minus, the minus sign or plus), digits, and a decimal part after a point. */
const NUMBER = /^([+\-\u2212]?)(\d+(?:\.\d*)?|\.\d+)$/;

/** The number `text` states for `field`, or the one-line reason it states none. */
export function readNumber(text: string, field: NumberField): NumberRead {
  const What = field.what.charAt(0).toUpperCase() + field.what.slice(1);
  const refuse = (reason: string): NumberRead => ({ ok: false, reason });
  const statePositive = () => refuse(`State ${field.what} as a positive number of ${field.unit}.`);
  if (HIDDEN_CHARACTERS.test(text)) return refuse(`${What} holds control or text-direction characters; type it again.`);
  const trimmed = text.trim();
  if (trimmed === "") {
    if (field.isMinExcluded && field.min === 0) return statePositive();
    return refuse(`State ${field.what} as a number of ${field.unit}.`);
  }
  const match = NUMBER.exec(trimmed);
  if (!match) {
    const hint = field.hint?.(trimmed);
    if (hint) return refuse(hint);
    const how = field.isWhole ? "digits" : "digits, with a point for decimals";
    return refuse(`${What} is not a number of ${field.unit}: type ${how}, like ${field.example}.`);
  }
  const magnitude = Number(match[2]);
  const value = match[1] === "" || match[1] === "+" ? magnitude : -magnitude;
  if (field.min >= 0 && value < 0) return refuse(`${What} cannot be negative.`);
  if (value < field.min || (field.isMinExcluded && value === field.min)) {
    if (field.isMinExcluded && field.min === 0) return statePositive();
    return refuse(`${What} is under ${field.minText ?? `${field.min} ${field.unit}`}.`);
  }
  if (value > field.max) return refuse(`${What} is over ${field.maxText ?? `${field.max} ${field.unit}`}.`);
  // After the range: digits past a double's range read as Infinity, which is too large, not a fraction.
  if (field.isWhole && !Number.isInteger(value)) return refuse(`${What} is a whole number of ${field.unit}.`);
  if (field.isCircular && value === field.max) return { ok: true, value: field.min };
  return { ok: true, value: value === 0 ? 0 : value };
}

/**
 * The text a step of `by` from the number `text` states makes: to the next multiple of the step that
 * way (so 7 minutes steps up to 15, then 30), held within the field's range (or, round a circular
 * one, brought back into it from the other end); null when the text
 * states no number the field accepts (its reason stays in view until it is put right) or when the
 * step would reach an excluded minimum.
 */
export function stepNumber(text: string, field: NumberField, by: number): string | null {
  const read = readNumber(text, field);
  if (!read.ok || by === 0) return null;
  const size = Math.abs(by);
  const onGrid = by > 0 ? Math.floor(read.value / size) * size + size : Math.ceil(read.value / size) * size - size;
  const turn = field.max - field.min;
  const next = field.isCircular
    ? field.min + ((((onGrid - field.min) % turn) + turn) % turn)
    : Math.min(field.max, Math.max(field.min, onGrid));
  if (field.isMinExcluded && next <= field.min) return null;
  return String(next === 0 ? 0 : next);
}

/** The geolocation form's stated radius: above 0, up to the ledger's limit. */
export const RADIUS_FIELD: NumberField = {
  what: "the radius",
  unit: "metres",
  example: "750",
  min: 0,
  isMinExcluded: true,
  max: MAX_RADIUS_M,
  maxText: "1,000 km (1,000,000 m): a place that vague is better recorded as not geolocated",
  step: 10,
  bigStep: 1000,
};

/** An offset typed as hours and minutes (`+05:30`, `−3:00`), in range: the minutes to type instead. */
function offsetAsClock(trimmed: string): string | null {
  const m = /^([+\-\u2212]?)(\d{1,2}):([0-5]\d)$/.exec(trimmed);
  if (!m) return null;
  const isNegative = m[1] === "-" || m[1] === "\u2212";
  const minutes = Number(m[2]) * 60 + Number(m[3]);
  if (minutes > 840) return null;
  const clock = `${isNegative ? "\u2212" : "+"}${m[2]!.padStart(2, "0")}:${m[3]}`;
  return `The offset from UTC is in minutes, not hours and minutes: for UTC${clock}, type ${isNegative && minutes ? "-" : ""}${minutes}.`;
}

/** The chronolocation's offset from UTC at the place: whole minutes, UTC−14:00 to UTC+14:00. */
export const UTC_OFFSET_FIELD: NumberField = {
  what: "the offset from UTC",
  unit: "minutes",
  example: "-300 or 330",
  min: -840,
  minText: "−840 minutes (UTC−14:00)",
  max: 840,
  maxText: "840 minutes (UTC+14:00)",
  isWhole: true,
  // The offsets in use are whole quarters of an hour.
  step: 15,
  bigStep: 60,
  hint: offsetAsClock,
};

/** A shadow's object of known height: above 0, up to 10 km. */
export const OBJECT_HEIGHT_FIELD: NumberField = {
  what: "the object's height",
  unit: "metres",
  example: "2.5",
  min: 0,
  isMinExcluded: true,
  max: 10_000,
  maxText: "10,000 metres",
  step: 0.5,
  bigStep: 10,
};

/** A shadow's length on the ground: above 0, up to 100 km. */
export const SHADOW_LENGTH_FIELD: NumberField = {
  what: "the shadow's length",
  unit: "metres",
  example: "3.2",
  min: 0,
  isMinExcluded: true,
  max: 100_000,
  maxText: "100,000 metres",
  step: 0.5,
  bigStep: 10,
};

/** The direction a shadow points on the map: degrees from north, 0 to 360 (which is north again, 0). */
export const SHADOW_BEARING_FIELD: NumberField = {
  what: "the shadow's direction",
  unit: "degrees",
  example: "300",
  min: 0,
  max: 360,
  isCircular: true,
  step: 5,
  bigStep: 45,
};
