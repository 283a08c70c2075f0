/**
 * Numbers typed into the where-and-when forms' text fields (the radius, the offset from UTC): what
 * each field accepts, and the one-line reason for everything it does not.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import { MAX_RADIUS_M } from "../../renderer/src/views/geolocate/geolocationDraft.js";
import {
  OBJECT_HEIGHT_FIELD,
  RADIUS_FIELD,
  SHADOW_BEARING_FIELD,
  readNumber,
  stepNumber,
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
    reasonOf("\u202e033", UTC_OFFSET_FIELD),
    "The offset from UTC holds control or text-direction characters; type it again.",
  );
});

test("the offset from UTC: hostile text, each with a one-line reason that does not repeat it", () => {
  const notANumber = "The offset from UTC is not a number of minutes: type digits, like -300 or 330.";
  for (const text of [
    "--5",
    "+-60",
    "1e400",
    "1e2",
    "<b>60</b>",
    "<img src=x onerror=alert(1)>",
    "60'; DROP TABLE",
    "\u20105", // hyphen
    "\u20135", // en dash
    "\uff0d5", // fullwidth hyphen-minus
    "\uff16\uff10", // fullwidth digits
    "+24:00",
    "5:75",
    "UTC+1",
  ])
    assert.equal(reasonOf(text, UTC_OFFSET_FIELD), notANumber, JSON.stringify(text));
  const over = "The offset from UTC is over 840 minutes (UTC+14:00).";
  assert.equal(reasonOf("9".repeat(400), UTC_OFFSET_FIELD), over);
  assert.equal(reasonOf("1" + "0".repeat(309), UTC_OFFSET_FIELD), over, "past a double's range");
  assert.equal(
    reasonOf("-" + "9".repeat(400), UTC_OFFSET_FIELD),
    "The offset from UTC is under −840 minutes (UTC−14:00).",
  );
  const hidden = "The offset from UTC holds control or text-direction characters; type it again.";
  for (const text of ["\u202e033", "\u2067-60\u2069", "60\u0000", "\u200e-60", "6\u00ad0"])
    assert.equal(reasonOf(text, UTC_OFFSET_FIELD), hidden, JSON.stringify(text));
  // The Unicode minus sign is a minus: −5 is five minutes behind UTC.
  assert.equal(valueOf("\u22125", UTC_OFFSET_FIELD), -5);
});

test("the offset from UTC typed as hours and minutes: the minutes to type instead", () => {
  const asMinutes = (clock: string, minutes: string) =>
    `The offset from UTC is in minutes, not hours and minutes: for UTC${clock}, type ${minutes}.`;
  assert.equal(reasonOf("+14:00", UTC_OFFSET_FIELD), asMinutes("+14:00", "840"));
  assert.equal(reasonOf("05:30", UTC_OFFSET_FIELD), asMinutes("+05:30", "330"));
  assert.equal(reasonOf("-3:30", UTC_OFFSET_FIELD), asMinutes("\u221203:30", "-210"));
  assert.equal(reasonOf("\u221214:00", UTC_OFFSET_FIELD), asMinutes("\u221214:00", "-840"));
  assert.equal(reasonOf("-00:00", UTC_OFFSET_FIELD), asMinutes("\u221200:00", "0"));
  // Past UTC±14:00 there is no offset to suggest.
  assert.match(reasonOf("+14:01", UTC_OFFSET_FIELD), /is not a number of minutes/);
  assert.match(reasonOf("+15:00", UTC_OFFSET_FIELD), /is not a number of minutes/);
});

test("a step up or down goes to the next multiple of the step, within the range; none from text that is no number", () => {
  assert.equal(stepNumber("60", UTC_OFFSET_FIELD, 15), "75");
  assert.equal(stepNumber("7", UTC_OFFSET_FIELD, 15), "15");
  assert.equal(stepNumber("7", UTC_OFFSET_FIELD, -15), "0");
  assert.equal(stepNumber("-7", UTC_OFFSET_FIELD, 15), "0");
  assert.equal(stepNumber("-7", UTC_OFFSET_FIELD, -15), "-15");
  assert.equal(stepNumber("\u2212300", UTC_OFFSET_FIELD, -60), "-360");
  assert.equal(stepNumber("830", UTC_OFFSET_FIELD, 15), "840");
  assert.equal(stepNumber("840", UTC_OFFSET_FIELD, 60), "840");
  assert.equal(stepNumber("-840", UTC_OFFSET_FIELD, -15), "-840");
  for (const text of ["", "abc", "+14:00", "900", "90.5", "\u202e60"])
    assert.equal(stepNumber(text, UTC_OFFSET_FIELD, 15), null, JSON.stringify(text));
  assert.equal(stepNumber("750", RADIUS_FIELD, 10), "760");
  assert.equal(stepNumber("12.5", RADIUS_FIELD, 10), "20");
  assert.equal(stepNumber("12.5", RADIUS_FIELD, -10), "10");
  assert.equal(stepNumber("10", RADIUS_FIELD, -10), null, "the radius is above 0: no step down to it");
  assert.equal(stepNumber("999999", RADIUS_FIELD, 1000), String(MAX_RADIUS_M));
});

test("a shadow's height, length and direction: their ranges and steps", () => {
  assert.equal(valueOf("2.5", OBJECT_HEIGHT_FIELD), 2.5);
  assert.equal(reasonOf("0", OBJECT_HEIGHT_FIELD), "State the object's height as a positive number of metres.");
  assert.equal(reasonOf("10001", OBJECT_HEIGHT_FIELD), "The object's height is over 10,000 metres.");
  assert.equal(stepNumber("2.5", OBJECT_HEIGHT_FIELD, 0.5), "3");
  assert.equal(stepNumber("0.5", OBJECT_HEIGHT_FIELD, -0.5), null);
  assert.equal(valueOf("0", SHADOW_BEARING_FIELD), 0);
  assert.equal(valueOf("359.5", SHADOW_BEARING_FIELD), 359.5);
  assert.equal(reasonOf("-10", SHADOW_BEARING_FIELD), "The shadow's direction cannot be negative.");
  assert.equal(reasonOf("361", SHADOW_BEARING_FIELD), "The shadow's direction is over 360 degrees.");
  assert.equal(stepNumber("3", SHADOW_BEARING_FIELD, -5), "0");
});

test("a shadow's direction is a bearing: 360 is north again and the steps go round", () => {
  assert.equal(valueOf("360", SHADOW_BEARING_FIELD), 0);
  assert.equal(valueOf("360.0", SHADOW_BEARING_FIELD), 0);
  assert.equal(stepNumber("355", SHADOW_BEARING_FIELD, 5), "0");
  assert.equal(stepNumber("358", SHADOW_BEARING_FIELD, 5), "0");
  assert.equal(stepNumber("359.9", SHADOW_BEARING_FIELD, 5), "0");
  assert.equal(stepNumber("360", SHADOW_BEARING_FIELD, 5), "5");
  assert.equal(stepNumber("0", SHADOW_BEARING_FIELD, -5), "355");
  assert.equal(stepNumber("360", SHADOW_BEARING_FIELD, -5), "355");
  assert.equal(stepNumber("330", SHADOW_BEARING_FIELD, 45), "0");
  assert.equal(stepNumber("10", SHADOW_BEARING_FIELD, -45), "0");
  assert.equal(stepNumber("0", SHADOW_BEARING_FIELD, -45), "315");
  assert.equal(stepNumber("north", SHADOW_BEARING_FIELD, 5), null);
  // Fields that are not a turn still stop at their ends.
  assert.equal(stepNumber("840", UTC_OFFSET_FIELD, 15), "840");
  assert.equal(stepNumber("-840", UTC_OFFSET_FIELD, -15), "-840");
});

test("a field's own bounds and words: a whole count from 1, its smallest and largest said plainly", () => {
  const field: NumberField = {
    what: "the count",
    unit: "items",
    example: "3",
    min: 1,
    max: 10,
    isWhole: true,
    step: 1,
    bigStep: 5,
  };
  assert.equal(valueOf("1", field), 1);
  assert.equal(reasonOf("0", field), "The count is under 1 items.");
  assert.equal(reasonOf("-2", field), "The count cannot be negative.");
  assert.equal(reasonOf("11", field), "The count is over 10 items.");
  assert.equal(reasonOf("", field), "State the count as a number of items.");
});
