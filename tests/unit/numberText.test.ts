/**
 * Numbers typed into the where-and-when forms' text fields (the radius, the offset from UTC): what
 * each field accepts, and the one-line reason for everything it does not.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import { MAX_RADIUS_M } from "../../renderer/src/views/geolocate/geolocationDraft.js";
import {
  RADIUS_FIELD,
  readNumber,
  UTC_OFFSET_FIELD,
  type NumberField,
} from "../../renderer/src/views/geolocate/numberText.js";

const valueOf = (text: string, field: NumberField) => {
  const read = readNumber(text, field);
  assert.ok(read.ok, `${JSON.stringify(text)}: ${read.ok ? "" : read.reason}`);
  return read.value;
};
const reasonOf = (text: string, field: NumberField) => {
  const read = readNumber(text, field);
  assert.ok(!read.ok, `${JSON.stringify(text)} was read as ${read.ok ? read.value : ""}`);
  assert.doesNotMatch(read.reason, /\n/);
  return read.reason;
};

test("the radius: digits and decimals, as typed, with spaces around", () => {
  assert.equal(valueOf("750", RADIUS_FIELD), 750);
  assert.equal(valueOf(" 750 ", RADIUS_FIELD), 750);
  assert.equal(valueOf("0750", RADIUS_FIELD), 750);
  assert.equal(valueOf("12.5", RADIUS_FIELD), 12.5);
  assert.equal(valueOf(".5", RADIUS_FIELD), 0.5);
  assert.equal(valueOf("5.", RADIUS_FIELD), 5);
  assert.equal(valueOf("+40", RADIUS_FIELD), 40);
  assert.equal(valueOf(String(MAX_RADIUS_M), RADIUS_FIELD), MAX_RADIUS_M);
});

test("the radius: empty, zero, negative, too large, each with its reason", () => {
  const positive = "State the radius as a positive number of metres.";
  assert.equal(reasonOf("", RADIUS_FIELD), positive);
  assert.equal(reasonOf("   ", RADIUS_FIELD), positive);
  assert.equal(reasonOf("0", RADIUS_FIELD), positive);
  assert.equal(reasonOf("0.000", RADIUS_FIELD), positive);
  assert.equal(reasonOf("-0", RADIUS_FIELD), positive);
  assert.equal(reasonOf("-5", RADIUS_FIELD), "The radius cannot be negative.");
  assert.equal(reasonOf("\u22125", RADIUS_FIELD), "The radius cannot be negative.");
  const over = "The radius is over 1,000 km (1,000,000 m): a place that vague is better recorded as not geolocated.";
  assert.equal(reasonOf("1000000.5", RADIUS_FIELD), over);
  assert.equal(reasonOf("2000000", RADIUS_FIELD), over);
  assert.equal(reasonOf("9".repeat(400), RADIUS_FIELD), over, "digits past a double's range are too large, not NaN");
});

test("the radius: letters, separators, exponents and other notations are not numbers", () => {
  const notANumber = "The radius is not a number of metres: type digits, with a point for decimals, like 750.";
  for (const text of [
    "abc",
    "750m",
    "7 50",
    "1,000",
    "12,5",
    "1e3",
    "0x10",
    "Infinity",
    "NaN",
    "--5",
    "+-5",
    "5-",
    ".",
  ])
    assert.equal(reasonOf(text, RADIUS_FIELD), notANumber, JSON.stringify(text));
  // Digits of other scripts are not read as ours.
  assert.equal(reasonOf("\u0667\u0665\u0660", RADIUS_FIELD), notANumber);
  assert.equal(reasonOf("\uff17\uff15\uff10", RADIUS_FIELD), notANumber);
});

test("hidden characters: control, bidi override and isolate, zero-width, line separator", () => {
  const hidden = "The radius holds control or text-direction characters; type it again.";
  for (const text of [
    "75\u00000",
    "750\n",
    "\t750",
    "\u202e057",
    "\u2066750\u2069",
    "7\u200b50",
    "\ufeff750",
    "750\u2028",
  ])
    assert.equal(reasonOf(text, RADIUS_FIELD), hidden, JSON.stringify(text));
});

test("the offset from UTC: whole minutes from UTC−14:00 to UTC+14:00, either minus sign", () => {
  assert.equal(valueOf("0", UTC_OFFSET_FIELD), 0);
  assert.equal(valueOf("-0", UTC_OFFSET_FIELD), 0);
  assert.ok(Object.is(valueOf("-0", UTC_OFFSET_FIELD), 0), "no negative zero");
  assert.equal(valueOf("330", UTC_OFFSET_FIELD), 330);
  assert.equal(valueOf("-300", UTC_OFFSET_FIELD), -300);
  assert.equal(valueOf("\u2212300", UTC_OFFSET_FIELD), -300);
  assert.equal(valueOf("840", UTC_OFFSET_FIELD), 840);
  assert.equal(valueOf("-840", UTC_OFFSET_FIELD), -840);
  assert.equal(valueOf("60.0", UTC_OFFSET_FIELD), 60);
});

test("the offset from UTC: empty, fractions, out of range, letters", () => {
  assert.equal(reasonOf("", UTC_OFFSET_FIELD), "State the offset from UTC as a number of minutes.");
  assert.equal(reasonOf("90.5", UTC_OFFSET_FIELD), "The offset from UTC is a whole number of minutes.");
  assert.equal(reasonOf("841", UTC_OFFSET_FIELD), "The offset from UTC is over 840 minutes (UTC+14:00).");
  assert.equal(reasonOf("-841", UTC_OFFSET_FIELD), "The offset from UTC is under −840 minutes (UTC−14:00).");
  assert.equal(
    reasonOf("+05:30", UTC_OFFSET_FIELD),
    "The offset from UTC is not a number of minutes: type digits, like -300 or 330.",
  );
  assert.equal(
    reasonOf("\u202e033", UTC_OFFSET_FIELD),
    "The offset from UTC holds control or text-direction characters; type it again.",
  );
});

test("a field's own bounds and words: a whole count from 1, its smallest and largest said plainly", () => {
  const field: NumberField = { what: "the count", unit: "items", example: "3", min: 1, max: 10, isWhole: true };
  assert.equal(valueOf("1", field), 1);
  assert.equal(reasonOf("0", field), "The count is under 1 items.");
  assert.equal(reasonOf("-2", field), "The count cannot be negative.");
  assert.equal(reasonOf("11", field), "The count is over 10 items.");
  assert.equal(reasonOf("", field), "State the count as a number of items.");
});
