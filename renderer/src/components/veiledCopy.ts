/**
 * The veil of a picture, on the board and in the item view (a picture's preview, a video's
 * keyframes): the picture shrunk to a dozen pixels on its longer side, in
 * greys, and grown again, smoothly, to a size the tile shows without blocks. What survives is the
 * picture's broad shapes and light, as the veil must show, and no detail an examiner could be harmed
 * by seeing.
 *
 * Why not a CSS filter (`blur(14px) grayscale(1)` on the picture itself, as a veiled video has): a
 * blur is drawn anew for every picture each time it comes on screen, and on the board at 100,000
 * items that drawing was most of the time a filter change took to reach the screen (measured: see
 * docs/PERFORMANCE.md, "The board at 100,000 items"). A copy is made once per picture, in script,
 * off the frame that shows the tiles, and then costs no more to draw than any small image.
 */

/** Pixels on the shrunk picture's longer side: few enough that no detail survives, enough for shapes. */
const SHRUNK = 12;
/**
 * Pixels on the copy's longer side: grown to this with the canvas's smooth (cubic) scaling, so the
 * tile's own scaling (linear, which from a dozen pixels draws blocks) has little left to do.
 */
const GROWN = 96;
/**
 * Previews are JPEGs at most 320 pixels on a side (THUMBNAIL_PARAMS in electron/services/media):
 * some 20 KB, and under 300 KB even for a picture of pure noise. Keyframes are at most 640
 * (KEYFRAME_PARAMS): 20-150 KB, and under 800 KB even for a square of noise in full colour.
 */
const MAX_PREVIEW_BYTES = 1024 * 1024;

/**
 * A data URL of the veiled copy of the picture at `url`, or a rejection when the picture cannot be
 * fetched or decoded (the tile then says its preview is unavailable). The clear picture is never
 * drawn: its bytes are decoded by `createImageBitmap`, which Chromium does off the page's main thread
 * for a Blob, and only the dozen-pixel copy is drawn and encoded here, while a scroll brings tiles by
 * the hundred.
 */
export async function veiledCopy(url: string): Promise<string> {
  const response = await fetch(url);
  if (!response.ok) throw new Error(`the picture could not be fetched (${response.status})`);
  // One larger than any preview Sightline makes has been changed in the vault, and is not read or
  // decoded: the tile says its preview is unavailable. By its stated length, or else once read.
  const isTooLarge = (bytes: number) => bytes > MAX_PREVIEW_BYTES;
  if (isTooLarge(Number(response.headers.get("Content-Length") ?? 0))) {
    await response.body?.cancel();
    throw new Error("the preview is larger than any Sightline makes");
  }
  const picture = await response.blob();
  if (isTooLarge(picture.size)) throw new Error("the preview is larger than any Sightline makes");
  // A dozen pixels on its longer side, the other following the picture's shape (at least one
  // pixel; the tile crops the copy as it would the picture). Which side is longer is known once
  // decoded: a picture taller than wide is decoded again, by its height.
  let shrunk = await createImageBitmap(picture, { resizeWidth: SHRUNK, resizeQuality: "high" });
  if (shrunk.height > SHRUNK) {
    shrunk.close();
    shrunk = await createImageBitmap(picture, { resizeHeight: SHRUNK, resizeQuality: "high" });
  }
  try {
    return drawGrey(shrunk, GROWN).toDataURL("image/jpeg", 0.85);
  } finally {
    shrunk.close();
  }
}

/**
 * One canvas for every copy, made when first needed, rather than a canvas and its context made and
 * dropped for each picture, by the hundred while a scroll brings new pictures every frame.
 */
let surface: { canvas: HTMLCanvasElement; context: CanvasRenderingContext2D } | null = null;

/** `source` drawn `side` pixels on its longer side, in greys, smoothly scaled, keeping its shape. */
function drawGrey(source: ImageBitmap, side: number): HTMLCanvasElement {
  if (!surface) {
    const canvas = document.createElement("canvas");
    const context = canvas.getContext("2d");
    if (!context) throw new Error("no canvas to make the veil with");
    surface = { canvas, context };
  }
  const { canvas, context } = surface;
  // Setting the size clears the canvas and its drawing state, so the state is set after it.
  const longer = Math.max(source.width, source.height);
  canvas.width = Math.max(1, Math.round((side * source.width) / longer));
  canvas.height = Math.max(1, Math.round((side * source.height) / longer));
  context.imageSmoothingEnabled = true;
  context.imageSmoothingQuality = "high";
  context.filter = "grayscale(1)";
  context.drawImage(source, 0, 0, canvas.width, canvas.height);
  return canvas;
}
