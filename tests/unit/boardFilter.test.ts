/**
 * The board's indexed filter gives exactly the rows of the plain one-pass filter, in the same
 * order, for every kind of filter and for searches that match at the start or end of a row's text,
 * in several fields, in every row, in none, or only across two rows (which must not match). A sync's
 * changed rows replace the board's rows in place (a few or many) and new items join at the end.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import type { ItemRow } from "../../renderer/src/db/projection.js";
import { toRow, withChangedRows } from "../../renderer/src/db/projection.js";
import {
  filterIndexed,
  filterItems,
  indexRows,
  type BoardFilter,
  type KindFilter,
} from "../../renderer/src/views/board/boardFilter.js";

const KINDS = ["image", "video", "audio", null] as const;
const STATUSES = ["unverified", "verified", "disputed"] as const;

/** A deterministic spread of rows: kinds, GPS, warnings, tags, statuses and integrity vary by index. */
function rows(n: number): ItemRow[] {
  return Array.from({ length: n }, (_, i) =>
    toRow({
      sha256: i.toString(16).padStart(64, "0"),
      name: `Photo-${i}${i % 7 === 0 ? " Kidal" : ""}.JPG`,
      size: 100 + i,
      acquisitionCount: 1,
      firstAcquiredAt: "2026-01-01T00:00:00.000Z",
      kind: KINDS[i % KINDS.length]!,
      mime: i % 2 ? "image/jpeg" : null,
      capturedAt: null,
      hasGps: i % 3 === 0,
      warningCodes: i % 5 === 0 ? ["exif-date-missing" as never] : [],
      thumbnailPath: null,
      status: STATUSES[i % STATUSES.length]! as never,
      tags: i % 4 === 0 ? ["burn", `t${i % 8}`] : [],
      noteCount: 0,
      integrity: null,
      searchText: i % 11 === 0 ? `camera model ${i} <b>tail` : "",
    }),
  );
}

const base: BoardFilter = { search: "", kind: "all", gpsOnly: false, warningsOnly: false, status: null, tag: null };

test("the indexed filter returns the plain filter's rows for every filter and search", () => {
  const all = rows(400);
  const index = indexRows(all);
  const inside = new Set(all.filter((_, i) => i % 9 === 0).map((r) => r.sha256));
  const filters: BoardFilter[] = [base];
  for (const kind of ["all", "image", "video", "other"] as KindFilter[]) filters.push({ ...base, kind });
  filters.push(
    { ...base, gpsOnly: true },
    { ...base, warningsOnly: true },
    { ...base, gpsOnly: true, warningsOnly: true },
  );
  filters.push({ ...base, integrityOnly: true }, { ...base, status: "verified" }, { ...base, tag: "burn" });
  filters.push({ ...base, tag: "t4", kind: "image" }, { ...base, inside }, { ...base, inside, gpsOnly: true });
  const needles = [
    "photo-1",
    "PHOTO-12.jpg",
    "kidal",
    "<b>tail",
    "tail",
    "p",
    ".jpg",
    "model 33",
    "no such",
    "  burn  ",
  ];
  // Across two rows: the end of one row's text and the start of the next must not make a match.
  needles.push(`${all[0]!.haystack.slice(-3)}${all[1]!.haystack.slice(0, 3)}`);
  needles.push(all[399]!.haystack, all[0]!.haystack.slice(0, 5));
  for (const search of needles) {
    filters.push({ ...base, search }, { ...base, search, kind: "image", gpsOnly: true }, { ...base, search, inside });
  }
  for (const f of filters) {
    const expected = filterItems(all, f);
    const got = filterIndexed(index, f);
    assert.deepEqual(
      got.map((r) => r.sha256),
      expected.map((r) => r.sha256),
      JSON.stringify({ ...f, inside: f.inside ? f.inside.size : null }),
    );
  }
  // At least some filters must leave a proper subset, so the comparison means something.
  assert.ok(filters.some((f) => filterItems(all, f).length > 0 && filterItems(all, f).length < all.length));
});

test("a search matches MIME types, kinds, statuses, warnings and letters whose lower case is longer as the haystack does", () => {
  const all = rows(120).map((r, i) =>
    // Names whose lower case is longer (İ) or depends on its place (a final Σ), tags in mixed case.
    i % 10 === 3
      ? toRow({
          ...r,
          name: `İSTANBUL ΟΔΟΣ ${i}`,
          tags: ["Σκάλα", "İzmir"],
          warningCodes: ["exif-date-missing" as never],
        })
      : r,
  );
  const index = indexRows(all);
  const needles = ["image/jpeg", "jpeg", "image", "verified", "unverified", "disputed", "exif-date", "missing"];
  needles.push("i̇stanbul", "istanbul", "οδος", "οδος 3", "σκάλα", "i̇zmir", "ς", "σ", "g\nv", "photo-1", "a");
  const base2: BoardFilter = { ...base, kind: "all" };
  for (const search of needles) {
    for (const f of [
      { ...base2, search },
      { ...base2, search, kind: "image" as KindFilter },
      { ...base2, search, tag: "burn" },
    ]) {
      assert.deepEqual(
        filterIndexed(index, f).map((r) => r.sha256),
        filterItems(all, f).map((r) => r.sha256),
        JSON.stringify(f),
      );
    }
  }
  // The needles find what they should: the comparison is not of two empty answers.
  assert.ok(filterItems(all, { ...base2, search: "exif-date" }).length > 0);
  assert.ok(filterItems(all, { ...base2, search: "i̇stanbul" }).length > 0);
  assert.ok(filterItems(all, { ...base2, search: "οδος 3" }).length > 0);
});

test("an empty board and a board of one row", () => {
  assert.deepEqual(filterIndexed(indexRows([]), { ...base, search: "x" }), []);
  const one = rows(1);
  assert.equal(filterIndexed(indexRows(one), { ...base, search: "photo-0" }).length, 1);
  assert.equal(filterIndexed(indexRows(one), { ...base, search: "photo-1" }).length, 0);
  assert.equal(filterIndexed(indexRows(one), { ...base, search: "\0" }).length, 0);
});

test("a sync's changed rows take their places in the board's rows, new items at the end", () => {
  const all = rows(60);
  const retag = (r: ItemRow) => ({ ...r, tags: ["changed"] });
  for (const count of [1, 3, 40]) {
    const changed = all.filter((_, i) => i % Math.ceil(60 / count) === 1).map(retag);
    const added = rows(62).slice(60);
    const next = withChangedRows(all, [...changed, ...added]);
    assert.equal(next.length, 62);
    assert.deepEqual(
      next.map((r) => r.sha256),
      [...all, ...added].map((r) => r.sha256),
    );
    for (const c of changed) assert.deepEqual(next.find((r) => r.sha256 === c.sha256)!.tags, ["changed"]);
    assert.equal(next.filter((r) => r.tags[0] === "changed").length, changed.length);
    assert.equal(all.filter((r) => r.tags[0] === "changed").length, 0, "the old array is left as it was");
  }
  assert.equal(withChangedRows(all, []), all);
});
