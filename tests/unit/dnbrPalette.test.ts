/**
 * The dNBR colouring the map hands OpenLayers (renderer/src/views/map/burnIndex.ts): the
 * expression is evaluated here as the GPU evaluates it (in 32-bit floats), for band values that
 * give dNBR across and on each USGS threshold, and must give the class `dnbrClass` gives.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import {
  DNBR_CLASSES,
  dnbrClass,
  dnbrColourExpression,
  nbrColourExpression,
} from "../../renderer/src/views/map/burnIndex.js";

type Expr = unknown;
const f = Math.fround;

/** OpenLayers' expression operators used by the burn views, in 32-bit floats like the shader. */
function evaluate(e: Expr, bands: number[]): number | number[] {
  if (typeof e === "number") return f(e);
  const [op, ...args] = e as [string, ...Expr[]];
  const n = (x: Expr) => evaluate(x, bands) as number;
  switch (op) {
    case "band":
      return f(bands[(args[0] as number) - 1]!);
    case "+":
      return f(n(args[0]) + n(args[1]));
    case "-":
      return f(n(args[0]) - n(args[1]));
    case "/":
      return f(n(args[0]) / n(args[1]));
    case "floor":
      return Math.floor(n(args[0]));
    case "clamp":
      return Math.min(Math.max(n(args[0]), n(args[1])), n(args[2]));
    case "palette": {
      const colours = args[1] as number[][];
      return colours[n(args[0])]!;
    }
    default:
      throw new Error(`operator ${op} is not evaluated here`);
  }
}

const band = (i: number) => ["band", i];
const expression = dnbrColourExpression(band(1), band(2), band(3), band(4));

/** Band values (NIR, SWIR2 before; NIR, SWIR2 after) whose dNBR is `d`, from 16-bit-like reflectances. */
function bandsFor(d: number): number[] {
  // NBR before 0.5 (NIR 3000, SWIR2 1000); after = 0.5 − d, with NIR + SWIR2 = 4000.
  const after = 0.5 - d;
  return [3000, 1000, 2000 * (1 + after), 2000 * (1 - after)];
}

test("each dNBR value is coloured by its USGS severity class, thresholds included", () => {
  const values: number[] = [];
  for (let d = -0.6; d <= 1.2; d += 0.0037) values.push(d);
  for (const c of DNBR_CLASSES) if (c.from !== null) values.push(c.from, c.from - 0.002, c.from + 0.002);
  for (const d of values) {
    const bands = bandsFor(d);
    const shown = evaluate(expression, bands) as number[];
    // The class of the dNBR the bands give; a value on a threshold (to float rounding) is in the class above.
    const exact = (bands[0]! - bands[1]!) / (bands[0]! + bands[1]!) - (bands[2]! - bands[3]!) / (bands[2]! + bands[3]!);
    const onThreshold = DNBR_CLASSES.find((c) => c.from !== null && Math.abs(exact - c.from) < 1e-6)?.from;
    assert.deepEqual(shown, [...dnbrClass(onThreshold ?? exact).colour, 1], `dNBR ${exact.toFixed(4)}`);
  }
});

test("a pixel with no data in any band does not divide by zero", () => {
  const shown = evaluate(expression, [0, 0, 0, 0]) as number[];
  assert.deepEqual(shown, [...dnbrClass(0).colour, 1]);
  assert.equal(typeof nbrColourExpression(band(1), band(2)), "object");
});
