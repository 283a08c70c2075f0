/**
 * The one time format (shared/text/times.ts) and the screens' lines that show an instant through it:
 * a zone is always said ("UTC", "UTC+01:00"), and a time the file gives without one says so.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import { describeGeoEvent } from "../../renderer/src/views/geolocate/geoEventText.js";
import { describe as describeEvent } from "../../renderer/src/views/ledger/eventLine.js";
import { formatTime } from "../../shared/text/times.js";

test("the short form keeps the zone, or says there is none", () => {
  assert.equal(formatTime("2026-02-16T09:12:44+01:00", { isShort: true }), "2026-02-16 09:12 UTC+01:00");
  assert.equal(formatTime("2026-02-16T09:12:44.5-03:00", { isShort: true }), "2026-02-16 09:12 UTC-03:00");
  assert.equal(formatTime("2026-02-16 09:12", { isShort: true }), "2026-02-16 09:12 (no zone)");
  assert.equal(formatTime("2026-02-16T09:12:44.123456Z", { fraction: true }), "2026-02-16 09:12:44.123456 UTC");
  // Not an ISO time (a date alone, a stray word, a time with an invalid offset): given back as it came.
  assert.equal(formatTime("2026-02-16"), "2026-02-16");
  assert.equal(formatTime("2026-02-16T09:12:44+1"), "2026-02-16T09:12:44+1");
});

test("a chronolocation's window and a timestamp's time are shown in the one format", () => {
  const line = describeGeoEvent(
    "chronolocation.recorded",
    {
      sha256: "a".repeat(64),
      date: "2026-02-16",
      window: { from: "2026-02-16T08:05:00.000Z", to: "2026-02-16T08:40:00.000Z" },
      shadows: [],
    },
    () => "kidal-roof.jpg",
  );
  assert.equal(
    line,
    "kidal-roof.jpg on 2026-02-16: between 2026-02-16 08:05 UTC and 2026-02-16 08:40 UTC, 0 shadow measurements",
  );
  const stamp = describeEvent(
    {
      event: {
        type: "timestamp.recorded",
        payload: {
          head: { seq: 4 },
          genTime: "2026-02-16T09:12:44Z",
          tsaName: "CN=Local TSA",
          token: { path: "exports/t.tsr" },
        },
      },
    } as never,
    new Map(),
  );
  assert.match(stamp, /timestamped at 2026-02-16 09:12:44 UTC by CN=Local TSA/);
});
