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
 * A data URL of the veiled copy of the picture at `url`, or a rejection when the picture cannot
 * be decoded (the tile then says its preview is unavailable). The clear picture is decoded here,
 * off screen, and never put in the page.
 */
export async function veiledCopy(url: string): Promise<string> {
  const picture = new Image();
  picture.decoding = "async";
  picture.src = url;
  await picture.decode();
  const { naturalWidth: w, naturalHeight: h } = picture;
  if (w === 0 || h === 0) throw new Error("the picture has no pixels");
  // The copy keeps the picture's shape (the tile crops it as it would the picture), within reason.
  const ratio = Math.min(4, Math.max(1 / SHRUNK, h / w));
  const shrunk = canvasOf(SHRUNK, ratio);
  shrunk.context.filter = "grayscale(1)";
  shrunk.context.drawImage(picture, 0, 0, shrunk.canvas.width, shrunk.canvas.height);
  const grown = canvasOf(GROWN, ratio);
  grown.context.drawImage(shrunk.canvas, 0, 0, grown.canvas.width, grown.canvas.height);
  return grown.canvas.toDataURL("image/jpeg", 0.85);
}

function canvasOf(width: number, ratio: number): { canvas: HTMLCanvasElement; context: CanvasRenderingContext2D } {
  const canvas = document.createElement("canvas");
  canvas.width = width;
  canvas.height = Math.max(1, Math.round(width * ratio));
  const context = canvas.getContext("2d");
  if (!context) throw new Error("no canvas to make the veil with");
  context.imageSmoothingEnabled = true;
  context.imageSmoothingQuality = "high";
  return { canvas, context };
}
