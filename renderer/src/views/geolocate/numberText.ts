/**
 * Numbers typed into the where-and-when forms' plain text fields (the radius, the offset from UTC).
 * They are text fields read here, not number inputs: a number input that formats as it goes puts
 * the caret back on a timer, and on a loaded machine typed digits landed out of order ('750' became
 * '507'). What is typed stays as typed; this says what number it is, or why it is none, in one line.
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
    const how = field.isWhole ? "digits" : "digits, with a point for decimals";
    return refuse(`${What} is not a number of ${field.unit}: type ${how}, like ${field.example}.`);
  }
  const magnitude = Number(match[2]);
  const value = match[1] === "" || match[1] === "+" ? magnitude : -magnitude;
  if (field.isWhole && !Number.isInteger(value)) return refuse(`${What} is a whole number of ${field.unit}.`);
  if (field.min >= 0 && value < 0) return refuse(`${What} cannot be negative.`);
  if (value < field.min || (field.isMinExcluded && value === field.min)) {
    if (field.isMinExcluded && field.min === 0) return statePositive();
    return refuse(`${What} is under ${field.minText ?? `${field.min} ${field.unit}`}.`);
  }
  if (value > field.max) return refuse(`${What} is over ${field.maxText ?? `${field.max} ${field.unit}`}.`);
  return { ok: true, value: value === 0 ? 0 : value };
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
};

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
};
