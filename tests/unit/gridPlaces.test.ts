/**
 * The board grid's places: which rows a scroll position shows, and which tiles are drawn for them.
 * A place shows the item the rows have there; a place with none keeps the item its tile showed last,
 * hidden, and one with neither is not drawn; right after a change only the rows on screen take their
 * new items, the rows kept beside them wait hidden with what they showed.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import type { ItemRow } from "../../renderer/src/db/projection.js";
import { drawnPlaces, rowsInView } from "../../renderer/src/views/board/gridPlaces.js";

/** `n` rows named `<prefix>-<i>`: the places read nothing else of a row. */
function rows(prefix: string, n: number): ItemRow[] {
  return Array.from({ length: n }, (_, i) => ({ sha256: `${prefix}${i}`, name: `${prefix}-${i}.jpg` }) as ItemRow);
}

/** Each drawn row as "row:place=item-or-kept", a kept (hidden) place marked with a star. */
function describe(drawn: ReturnType<typeof drawnPlaces>): string[] {
  return drawn.map(
    ({ row, places }) =>
      `${row}:${places.map((p) => `${p.index}=${p.item.name.replace(/\.jpg$/, "")}${p.isShown ? "" : "*"}`).join(",")}`,
  );
}

test("rows in view: by the scroll position and the view's height, clamped to the rows there are", () => {
  // Rows 230 px tall starting 8 px down; a view 700 px tall.
  assert.deepEqual(rowsInView(0, 700, 100, 230, 8), { first: 0, last: 3 });
  // Row 0 ends 238 px down, row 4 starts 928 px down: it shows once the view's bottom passes that.
  assert.deepEqual(rowsInView(228, 700, 100, 230, 8), { first: 0, last: 3 });
  assert.deepEqual(rowsInView(229, 700, 100, 230, 8), { first: 0, last: 4 });
  assert.deepEqual(rowsInView(238, 700, 100, 230, 8), { first: 1, last: 4 });
  assert.deepEqual(rowsInView(0, 700, 2, 230, 8), { first: 0, last: 1 });
  assert.deepEqual(rowsInView(0, 700, 0, 230, 8), { first: 0, last: -1 });
  // Scrolled to the last row of 100: the 99th (index 98) shows in part above it.
  assert.deepEqual(rowsInView(100 * 230 + 16 - 700, 700, 100, 230, 8), { first: 96, last: 99 });
});

test("places show the rows' items, with the rows beside the view drawn too", () => {
  const drawn = drawnPlaces({
    rows: rows("a", 20),
    kept: new Map(),
    first: 1,
    last: 2,
    columns: 3,
    overscan: 1,
    isFresh: false,
  });
  assert.deepEqual(describe(drawn), [
    "0:0=a-0,1=a-1,2=a-2",
    "1:3=a-3,4=a-4,5=a-5",
    "2:6=a-6,7=a-7,8=a-8",
    "3:9=a-9,10=a-10,11=a-11",
  ]);
});

test("a place with no item now keeps its last item hidden; with neither it is not drawn", () => {
  const before = rows("a", 12);
  const kept = new Map(before.slice(0, 9).map((r, i) => [i, r] as const));
  // Four items now, on a screen of rows 0 and 1 (three columns), one row beside.
  const drawn = drawnPlaces({ rows: rows("b", 4), kept, first: 0, last: 1, columns: 3, overscan: 1, isFresh: false });
  assert.deepEqual(describe(drawn), ["0:0=b-0,1=b-1,2=b-2", "1:3=b-3,4=a-4*,5=a-5*", "2:6=a-6*,7=a-7*,8=a-8*"]);
  // No items at all: every place kept hidden, none made.
  const empty = drawnPlaces({ rows: [], kept, first: 0, last: 1, columns: 3, overscan: 1, isFresh: false });
  assert.equal(empty.length, 3);
  assert.ok(empty.every((r) => r.places.every((p) => !p.isShown)));
  // Nothing kept and nothing to show: no rows.
  assert.deepEqual(
    drawnPlaces({ rows: [], kept: new Map(), first: 0, last: 3, columns: 3, overscan: 2, isFresh: false }),
    [],
  );
});

test("right after a change the rows beside the view keep what they showed until drawn again", () => {
  const before = rows("a", 30);
  const kept = new Map(before.slice(0, 12).map((r, i) => [i, r] as const));
  const now = rows("b", 30);
  const fresh = drawnPlaces({ rows: now, kept, first: 0, last: 1, columns: 3, overscan: 2, isFresh: true });
  assert.deepEqual(describe(fresh), [
    "0:0=b-0,1=b-1,2=b-2",
    "1:3=b-3,4=b-4,5=b-5",
    "2:6=a-6*,7=a-7*,8=a-8*",
    "3:9=a-9*,10=a-10*,11=a-11*",
  ]);
  // Once settled, the same rows take the new items.
  const settled = drawnPlaces({ rows: now, kept, first: 0, last: 1, columns: 3, overscan: 2, isFresh: false });
  assert.deepEqual(
    describe(settled).map((r) => r.includes("*")),
    [false, false, false, false],
  );
  // A row beside the view never drawn before is not made during the change's frame.
  const scrolled = drawnPlaces({ rows: now, kept, first: 3, last: 4, columns: 3, overscan: 2, isFresh: true });
  assert.deepEqual(
    scrolled.map((r) => r.row),
    [1, 2, 3, 4],
  );
});
