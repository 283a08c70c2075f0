/**
 * sharp for the modules that need it in one or two places (report pictures, map snapshots, the
 * version recorded beside derivatives), loaded by the first of them rather than when the host
 * starts: loading sharp and libvips takes a few hundred milliseconds, and a case can be opened and
 * listed without it.
 */
import type Sharp from "sharp";

let loading: Promise<typeof Sharp> | null = null;

/** The sharp module, loaded once, with libvips's operation cache off as imagePixels.ts sets it. */
export function loadSharp(): Promise<typeof Sharp> {
  loading ??= import("sharp").then(({ default: sharp }) => {
    sharp.cache(false);
    return sharp;
  });
  return loading;
}
