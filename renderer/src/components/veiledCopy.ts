/**
 * The veil of a picture on the board: the picture shrunk to a dozen pixels across, in greys, and
 * grown again, smoothly, to a size the tile shows without blocks. What survives is the picture's
 * broad shapes and light, as the veil must show, and no detail an examiner could be harmed by seeing.
 *
 * Why not the CSS filter the item view uses (`blur(14px) grayscale(1)` on the picture itself): a
 * blur is drawn anew for every picture each time it comes on screen, and on the board at 100,000
 * items that drawing was most of the time a filter change took to reach the screen (measured: see
 * docs/PERFORMANCE.md, "The board at 100,000 items"). A copy is made once per picture, in script,
 * off the frame that shows the tiles, and then costs no more to draw than any small image.
 */

/** Pixels across the shrunk picture: few enough that no detail survives, enough for shapes. */
const SHRUNK = 12;
/**
 * Pixels across the copy: grown to this with the canvas's smooth (cubic) scaling, so the tile's
 * own scaling (linear, which from a dozen pixels draws blocks) has little left to do.
 */
const GROWN = 96;

/**
 * A data URL of the veiled copy of the picture at `url`, or a rejection when the picture cannot be
 * fetched or decoded (the tile then says its preview is unavailable). The clear picture is never put
 * in the page: its bytes are decoded and shrunk by `createImageBitmap`, which Chromium does off the
 * page's main thread for a Blob, so only the dozen-pixel copy is drawn and encoded here (a fraction
 * of a millisecond), while a scroll brings tiles by the hundred.
 */
export async function veiledCopy(url: string): Promise<string> {
  const response = await fetch(url);
  if (!response.ok) throw new Error(`the picture could not be fetched (${response.status})`);
  // Only the width is given: the height follows the picture's shape, at least one pixel (the tile
  // crops the copy as it would the picture).
  const shrunk = await createImageBitmap(await response.blob(), { resizeWidth: SHRUNK, resizeQuality: "high" });
  try {
    return drawn(shrunk, GROWN).toDataURL("image/jpeg", 0.85);
  } finally {
    shrunk.close();
  }
}

/** `source` drawn `width` pixels wide, in greys, smoothly scaled, keeping its shape within reason. */
function drawn(source: CanvasImageSource & { width: number; height: number }, width: number): HTMLCanvasElement {
  const canvas = document.createElement("canvas");
  canvas.width = width;
  canvas.height = Math.min(4 * width, Math.max(1, Math.round((width * source.height) / source.width)));
  const context = canvas.getContext("2d");
  if (!context) throw new Error("no canvas to make the veil with");
  context.imageSmoothingEnabled = true;
  context.imageSmoothingQuality = "high";
  context.filter = "grayscale(1)";
  context.drawImage(source, 0, 0, canvas.width, canvas.height);
  return canvas;
}
