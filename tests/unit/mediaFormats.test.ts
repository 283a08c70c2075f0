/** The pure parsers of what media files write: ISO 6709 points and capture times. */
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { parseIso6709 } from "../../shared/geo/iso6709.js";
import { exifDateToIso, hasZone, isoLikeToIso, normaliseOffset } from "../../shared/media/captureTime.js";

describe("ISO 6709 points", () => {
  test("decimal degrees with altitude, as phones write them", () => {
    assert.deepEqual(parseIso6709("+18.4411-001.4078+250.000/"), { lat: 18.4411, lon: -1.4078, altitude: 250 });
    assert.deepEqual(parseIso6709("-33.8688+151.2093/"), { lat: -33.8688, lon: 151.2093, altitude: null });
    assert.deepEqual(parseIso6709("+15.9331-005.6122-012.5CRSWGS_84/"), {
      lat: 15.9331,
      lon: -5.6122,
      altitude: -12.5,
    });
  });
  test("degrees-minutes and degrees-minutes-seconds forms", () => {
    const dm = parseIso6709("+1826.466-00124.468/")!;
    assert.ok(Math.abs(dm.lat - (18 + 26.466 / 60)) < 1e-9);
    assert.ok(Math.abs(dm.lon + (1 + 24.468 / 60)) < 1e-9);
    const dms = parseIso6709("+182627.96-0012428.08/")!;
    assert.ok(Math.abs(dms.lat - 18.4411) < 1e-6);
    assert.ok(Math.abs(dms.lon + 1.4078) < 1e-6);
  });
  test("anything else is rejected, not guessed", () => {
    for (const bad of [
      "",
      "18.44 -1.40",
      "+95.0000+010.0000/",
      "+10.0000+190.0000/",
      "+1860.0-00100.0/",
      "<script>alert(1)</script>",
      "+18.4411-001.4078+250.000/extra",
      null,
      undefined,
    ]) {
      assert.equal(parseIso6709(bad), null, String(bad));
    }
  });
});

describe("capture times", () => {
  test("EXIF date, sub-seconds and offset become one ISO 8601 time", () => {
    assert.equal(exifDateToIso("2026:02:16 09:12:44", "123", "+01:00"), "2026-02-16T09:12:44.123+01:00");
    assert.equal(exifDateToIso("2026:02:16 09:12:44", null, "+0530"), "2026-02-16T09:12:44+05:30");
    assert.equal(exifDateToIso("2026:02:16 09:12:44", null, "-03:00"), "2026-02-16T09:12:44-03:00");
  });
  test("without an offset no zone is invented", () => {
    const t = exifDateToIso("2026:02:16 09:12:44")!;
    assert.equal(t, "2026-02-16T09:12:44");
    assert.equal(hasZone(t), false);
  });
  test("blank and impossible dates are null", () => {
    for (const bad of ["0000:00:00 00:00:00", "2026:02:30 10:00:00", "2026:13:01 10:00:00", "    ", "yesterday", ""]) {
      assert.equal(exifDateToIso(bad), null, bad);
    }
    assert.equal(exifDateToIso("2026:02:16 09:12:44", "12x", "+99:00"), "2026-02-16T09:12:44");
  });
  test("QuickTime and XMP times keep their offsets; creation_time stays UTC", () => {
    assert.equal(isoLikeToIso("2026-02-16T09:12:44+0100"), "2026-02-16T09:12:44+01:00");
    assert.equal(isoLikeToIso("2026-02-16T08:12:44.000000Z"), "2026-02-16T08:12:44Z");
    assert.equal(isoLikeToIso("2026-02-16T08:12:44.250000Z"), "2026-02-16T08:12:44.25Z");
    assert.equal(isoLikeToIso("2026-02-16T09:12"), "2026-02-16T09:12:00");
    assert.equal(isoLikeToIso("16/02/2026"), null);
    assert.equal(normaliseOffset("Z"), "Z");
    assert.equal(normaliseOffset("+15:00"), null);
  });
});
