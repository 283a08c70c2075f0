/**
 * Plain words first, codes second: every warning code, status and event type this version
 * writes has words a person reads, the report and the screens take them from one place, and
 * times are shown one way with their zone (or "no time zone recorded").
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import { PAYLOAD_SCHEMAS, ITEM_STATUSES } from "../../shared/ledger/events.js";
import { WARNING_CODES } from "../../shared/media/metadata.js";
import { describeEvent, STATUS_WORDS } from "../../shared/reports/reportWords.js";
import { EXCHANGE_EVENT_TITLES } from "../../shared/exchange/exchangeEventText.js";
import { eventTitle as geoEventTitle } from "../../renderer/src/views/geolocate/geoEventText.js";
import {
  EVENT_TITLES,
  eventHeadline,
  eventTitle,
  statusLabel,
  statusWords,
  tagChangeWords,
  warningsInWords,
  warningTitle,
} from "../../shared/text/plainWords.js";
import { formatInstant, formatTime, hasTimeZone, timeParts } from "../../shared/text/times.js";

test("every warning code has a title in words, not the code again", () => {
  for (const code of WARNING_CODES) {
    const title = warningTitle(code);
    assert.notEqual(title, code, code);
    assert.match(title, /^[A-Z]/, `${code}: ${title}`);
    assert.doesNotMatch(title, /-/, `${code} has words, not a kebab code: ${title}`);
  }
  assert.equal(warningTitle("gps-zero"), "GPS at 0, 0");
  assert.equal(warningTitle("a-code-from-a-newer-version"), "a-code-from-a-newer-version");
});

test("every event type this version writes has a title", () => {
  for (const type of Object.keys(PAYLOAD_SCHEMAS)) {
    assert.ok(EVENT_TITLES[type], `no words for ${type}`);
    assert.notEqual(eventTitle(type), type);
  }
  assert.equal(eventTitle("some.future"), "some.future");
  assert.equal(eventTitle("derivative.created", { role: "thumbnail" }), "Thumbnail made");
  assert.equal(eventTitle("derivative.created", { role: "a-new-role" }), "Derivative made");
});

test("every status reads as words, capitalised for a label and lower-case in a sentence", () => {
  for (const status of ITEM_STATUSES) {
    assert.doesNotMatch(statusLabel(status), /-/);
    assert.equal(statusWords(status), statusLabel(status).toLowerCase());
  }
  assert.equal(statusLabel("in-review"), "In review");
  assert.equal(STATUS_WORDS["in-review"], "in review");
});

test("a tags change says which tags, added then removed", () => {
  assert.equal(tagChangeWords(["fire"], ["smoke"]), "+fire −smoke");
  assert.equal(eventHeadline("tags.changed", { sha256: "a", added: ["fire"], removed: [] }), "Tags changed: +fire");
  assert.equal(
    eventHeadline("tags.changed", { added: ["fire", "night"], removed: ["smoke"] }),
    "Tags changed: +fire +night −smoke",
  );
  // A payload missing its lists (a damaged or foreign ledger) still gives a title.
  assert.equal(eventHeadline("tags.changed", {}), "Tags changed");
  assert.equal(
    eventHeadline("status.changed", { from: "unverified", to: "in-review", reason: "x" }),
    "Status changed: Unverified → In review",
  );
});

test("the report, the geolocation words and the exchange words take their titles from one place", () => {
  assert.equal(geoEventTitle, eventTitle);
  assert.equal(describeEvent("tags.changed", { added: ["fire"], removed: [] }).title, EVENT_TITLES["tags.changed"]);
  assert.equal(describeEvent("bundle.opened", {}).title, EVENT_TITLES["bundle.opened"]);
  assert.equal(
    describeEvent("status.changed", { from: "unverified", to: "in-review", reason: "r" }).detail,
    "from unverified to in review: r",
  );
  assert.equal(describeEvent("derivative.created", { role: "map-snapshot" }).title, "Map snapshot kept");
  for (const [type, title] of Object.entries(EXCHANGE_EVENT_TITLES)) assert.equal(title, EVENT_TITLES[type]);
});

test("a file's warnings for a table cell: a count in words and each title once", () => {
  const none = warningsInWords([]);
  assert.equal(none.countWords, "No warnings");
  assert.equal(none.summary, "");
  const some = warningsInWords([{ code: "gps-zero" }, "editing-software", { code: "gps-zero" }]);
  assert.equal(some.count, 3);
  assert.equal(some.countWords, "3 warnings");
  assert.deepEqual(
    some.titles.map((t) => t.code),
    ["gps-zero", "editing-software"],
  );
  assert.equal(some.summary, "GPS at 0, 0 · Edited with software");
  assert.equal(warningsInWords([{ code: "gps-zero" }]).countWords, "1 warning");
});

test("times are shown one way, with the zone or the words that there is none", () => {
  assert.equal(formatTime("2026-02-16T09:12:44.123Z"), "2026-02-16 09:12:44 UTC");
  assert.equal(formatTime("2026-02-16T09:12:44.123Z", { fraction: true }), "2026-02-16 09:12:44.123 UTC");
  assert.equal(formatTime("2026-02-16T09:12:44+01:00"), "2026-02-16 09:12:44 UTC+01:00");
  assert.equal(formatTime("2026-02-16T09:12:44-0530"), "2026-02-16 09:12:44 UTC-05:30");
  assert.equal(formatTime("2026-02-16T09:12:44+00:00"), "2026-02-16 09:12:44 UTC");
  assert.equal(formatTime("2026-02-16T09:12:44"), "2026-02-16 09:12:44 (no time zone recorded)");
  assert.equal(formatTime("2026-02-16T09:12"), "2026-02-16 09:12 (no time zone recorded)");
  assert.equal(formatTime("2026-02-16T09:12:44", { isShort: true }), "2026-02-16 09:12 (no zone)");
  assert.equal(formatTime("2026-02-16T09:12:44Z", { isShort: true }), "2026-02-16 09:12 UTC");
  // Not a time: given back as it came, for the caller to show inert.
  assert.equal(formatTime("yesterday <b>"), "yesterday <b>");
  assert.equal(formatTime(""), "");
  assert.equal(formatInstant(Date.UTC(2026, 1, 16, 9, 12, 44)), "2026-02-16 09:12:44 UTC");
  assert.equal(formatInstant(Number.NaN), "unknown time");
  assert.equal(hasTimeZone("2026-02-16T09:12:44"), false);
  assert.equal(hasTimeZone("2026-02-16T09:12:44Z"), true);
  assert.deepEqual(timeParts("2026-02-16 09:12:44+02:00"), { wallClock: "2026-02-16 09:12:44", zone: "UTC+02:00" });
});
