/**
 * Burn indices as OpenLayers style expressions, evaluated per pixel on the GPU.
 * NBR = (NIR − SWIR2) / (NIR + SWIR2); dNBR = NBR before − NBR after, classed with the USGS
 * severity thresholds (Key & Benson, FIREMON Landscape Assessment, as used by USGS/MTBS).
 */
type Expr = unknown[] | number;

export interface DnbrClass {
  label: string;
  /** Lower bound (inclusive); the first class has none. */
  from: number | null;
  colour: [number, number, number];
}

/** The USGS dNBR severity classes and their customary colours, lowest first. */
export const DNBR_CLASSES: readonly DnbrClass[] = [
  { label: "Enhanced regrowth", from: null, colour: [122, 135, 55] },
  { label: "Unburned", from: -0.1, colour: [10, 224, 66] },
  { label: "Low severity", from: 0.1, colour: [255, 247, 11] },
  { label: "Moderate-low severity", from: 0.27, colour: [255, 175, 56] },
  { label: "Moderate-high severity", from: 0.44, colour: [255, 100, 27] },
  { label: "High severity", from: 0.66, colour: [164, 31, 214] },
];

/** The class a dNBR value falls in (for legends and tests). */
export function dnbrClass(value: number): DnbrClass {
  let found: DnbrClass | undefined;
  for (const c of DNBR_CLASSES) if (c.from === null || value >= c.from) found = c;
  return found!;
}

/** (a − b) / (a + b), zero where both are zero. */
export function normalisedDifference(a: Expr, b: Expr): Expr {
  // OpenLayers expressions have no max(): clamp keeps the sum off zero.
  return ["/", ["-", a, b], ["clamp", ["+", a, b], 1e-6, 1e12]];
}

/** NBR as a brown (burnt, −1) to green (vegetated, +1) ramp. */
export function nbrColourExpression(nir: Expr, swir2: Expr): Expr {
  return [
    "interpolate",
    ["linear"],
    normalisedDifference(nir, swir2),
    -0.5,
    [84, 48, 5, 1],
    0,
    [246, 232, 195, 1],
    0.5,
    [1, 102, 94, 1],
  ];
}

/**
 * dNBR in bins of 0.01 from −0.1 up: every USGS threshold (−0.1, 0.1, 0.27, 0.44, 0.66) is a bin
 * edge, so each bin lies in one class. Bin 0 is everything below −0.1, the last everything from
 * 0.66 up.
 */
const BIN_FROM = -0.1;
const BIN_WIDTH = 0.01;
const BIN_COUNT = Math.round((0.66 - BIN_FROM) / BIN_WIDTH) + 2;

/** The class colour of each bin, for the palette lookup. */
export const DNBR_BIN_COLOURS: readonly [number, number, number, number][] = Array.from(
  { length: BIN_COUNT },
  (_, k) => [...dnbrClass(k === 0 ? BIN_FROM - 1 : BIN_FROM + (k - 0.5) * BIN_WIDTH).colour, 1],
);

/**
 * dNBR coloured by severity class. The difference is computed once per pixel and its bin looked
 * up in a palette of class colours, rather than compared with each threshold in turn: OpenLayers
 * writes an expression out in full wherever it is used, and each of the four band reads in it is
 * a texture read, which software rendering pays for per pixel (20 reads a pixel instead of 4).
 * The small offset keeps a value on a threshold in the class above, as `dnbrClass` has it, through
 * float rounding.
 */
export function dnbrColourExpression(nirBefore: Expr, swirBefore: Expr, nirAfter: Expr, swirAfter: Expr): Expr {
  const d = ["-", normalisedDifference(nirBefore, swirBefore), normalisedDifference(nirAfter, swirAfter)];
  const bin = ["clamp", ["+", ["floor", ["+", ["/", ["-", d, BIN_FROM], BIN_WIDTH], 1e-3]], 1], 0, BIN_COUNT - 1];
  return ["palette", bin, DNBR_BIN_COLOURS];
}
