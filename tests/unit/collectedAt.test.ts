/**
 * The collection time as people type it: the forms accepted, the zone asked for when missing,
 * impossible dates and hostile text refused with a reason, and the same reading at the schema
 * the API and the CLI parse with.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import { readCollectedAt, readZone, ZONE_CHOICES } from "../../shared/case/collectedAt.js";
import { checkCollection, CollectionInputSchema } from "../../shared/case/collection.js";

const ok = (typed: string, zone?: string) => {
  const read = readCollectedAt(typed, zone);
  assert.equal(read.kind, "ok", `${typed} (${zone ?? "no zone"}): ${JSON.stringify(read)}`);
  return read as Extract<typeof read, { kind: "ok" }>;
};
const bad = (typed: string, zone?: string) => {
  const read = readCollectedAt(typed, zone);
  assert.equal(read.kind, "bad", `${JSON.stringify(typed)} should be refused: ${JSON.stringify(read)}`);
  return (read as Extract<typeof read, { kind: "bad" }>).reason;
};

test("ISO 8601, year-month-day with a space, and day/month/year are read, with the zone in the text", () => {
  assert.equal(ok("2026-02-16T09:12:00+01:00").iso, "2026-02-16T09:12:00+01:00");
  assert.equal(ok("2026-02-16T09:12Z").iso, "2026-02-16T09:12:00Z");
  assert.equal(ok("2026-02-16T09:12:00.123-05:30").iso, "2026-02-16T09:12:00.123-05:30");
  assert.equal(ok("2026-02-16 09:12 UTC").iso, "2026-02-16T09:12:00Z");
  assert.equal(ok("16/02/2026 09:12 +0100").iso, "2026-02-16T09:12:00+01:00");
  assert.equal(ok("16.02.2026 9:12 UTC+5:45").iso, "2026-02-16T09:12:00+05:45");
  assert.equal(ok("  2026-02-16t09:12:30z  ").iso, "2026-02-16T09:12:30Z");
  assert.equal(ok("29/02/2028 23:59 +14:00").words, "29 February 2028, 23:59 UTC+14:00");
});

test("a time without a zone asks for one, and takes it from the zone given apart", () => {
  assert.deepEqual(readCollectedAt("16/02/2026 09:12"), { kind: "needs-zone", words: "16 February 2026, 09:12" });
  assert.equal(readCollectedAt("2026-02-16 09:12").kind, "needs-zone");
  assert.equal(ok("16/02/2026 09:12", "+01:00").iso, "2026-02-16T09:12:00+01:00");
  assert.equal(ok("2026-02-16 09:12", "UTC-03:00").iso, "2026-02-16T09:12:00-03:00");
  assert.equal(ok("2026-02-16 09:12+01:00", "UTC+01:00").iso, "2026-02-16T09:12:00+01:00");
  assert.match(bad("2026-02-16 09:12+01:00", "+02:00"), /says \+01:00 but the zone given apart is \+02:00/);
  assert.match(bad("16/02/2026 09:12", "Europe/Paris"), /is not a time zone/);
  assert.match(bad("", "+01:00"), /zone was given without a time/);
  assert.deepEqual(readCollectedAt("   "), { kind: "empty" });
});

test("impossible dates and times are refused with what is wrong", () => {
  assert.match(bad("31/02/2026 09:12 UTC"), /no 31 February 2026 \(February 2026 has 28 days\)/);
  assert.match(bad("29/02/2026 09:12 UTC"), /no 29 February 2026/);
  assert.match(bad("02/16/2026 09:12 UTC"), /no month 16 \(dates are read day\/month\/year\)/);
  assert.match(bad("2026-13-01 09:12Z"), /no month 13/);
  assert.match(bad("2026-02-16 24:00Z"), /24:00 is not a time of day/);
  assert.match(bad("2026-02-16 09:60Z"), /not a time of day/);
  assert.match(bad("2026-02-16 09:12 +15:00"), /not a time zone on Earth/);
  assert.match(bad("0026-02-16 09:12Z"), /year 26 is out of range/);
  assert.match(bad("2026-02-16"), /give the time of day as well/);
  assert.match(bad("yesterday"), /not a date and time Sightline reads/);
  assert.match(bad("16/02/26 09:12"), /not a date and time/);
});

test("hostile text is refused, not read", () => {
  assert.match(bad("2026-02-16 09:12\u202eZ"), /control or text-direction characters/);
  assert.match(bad("2026-02-16\u0000 09:12Z"), /control or text-direction/);
  assert.match(bad("2026-02-16 09:12", "+01:00\u2066"), /control or text-direction/);
  assert.match(bad("2".repeat(5000)), /5000 characters is too long/);
  assert.match(bad("<script>alert(1)</script>"), /not a date and time/);
});

test("every zone a picker offers is one readZone accepts, east and west of UTC", () => {
  for (const zone of ZONE_CHOICES) assert.ok(!("reason" in readZone(zone)), zone);
  assert.ok(ZONE_CHOICES.includes("UTC+05:45") && ZONE_CHOICES.includes("UTC-12:00") && ZONE_CHOICES.includes("UTC"));
});

test("the schema the API and the CLI parse with records ISO 8601 and refuses in the same words", () => {
  const given = CollectionInputSchema.parse({
    collectedAt: "16/02/2026 09:12",
    collectedAtZone: "+01:00",
    method: "m",
  });
  assert.deepEqual(given, { collectedAt: "2026-02-16T09:12:00+01:00", method: "m" });
  assert.deepEqual(CollectionInputSchema.parse({ sourceAccount: "@a" }), { sourceAccount: "@a" });
  const missingZone = CollectionInputSchema.safeParse({ collectedAt: "16/02/2026 09:12" });
  assert.equal(missingZone.success, false);
  const issue = missingZone.error!.issues[0]!;
  assert.equal(
    issue.message,
    "Collected at: 16 February 2026, 09:12 has no time zone; say which (e.g. +01:00 or UTC).",
  );
  assert.deepEqual(issue.path, ["collectedAt"]);
  const impossible = CollectionInputSchema.safeParse({ collectedAt: "31/02/2026 09:12 UTC" });
  assert.match(impossible.error!.issues[0]!.message, /^Collected at: there is no 31 February 2026 .* Accepted forms: /);
});

test("a form's check marks each field, asks for the zone, and lets a time with its own zone ignore the picker", () => {
  const noZone = checkCollection({ collectedAt: "16/02/2026 09:12", sourceUrl: "javascript alert(1)" });
  assert.equal(noZone.collection, null);
  assert.equal(noZone.problems.collectedAtZone, "Which time zone is 16 February 2026, 09:12 in?");
  assert.match(noZone.problems.sourceUrl!, /^The source URL is not a URL/);
  assert.equal(noZone.problems.collectedAt, undefined);
  const zoned = checkCollection({ collectedAt: "16/02/2026 09:12", collectedAtZone: "UTC+01:00", method: " " });
  assert.deepEqual(zoned.collection, { collectedAt: "2026-02-16T09:12:00+01:00" });
  assert.equal(zoned.hasOwnZone, false);
  const own = checkCollection({ collectedAt: "2026-02-16T09:12Z", collectedAtZone: "UTC+01:00" });
  assert.deepEqual(own.collection, { collectedAt: "2026-02-16T09:12:00Z" });
  assert.equal(own.hasOwnZone, true);
  const impossible = checkCollection({ collectedAt: "31/02/2026 09:12" });
  assert.equal(impossible.problems.collectedAt, "There is no 31 February 2026 (February 2026 has 28 days).");
  assert.deepEqual(checkCollection({}).collection, {});
});
