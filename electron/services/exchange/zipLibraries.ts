/**
 * yazl (writing) and yauzl (reading) zip files, loaded in one place.
 */
import yauzl from "yauzl";
import yazl from "yazl";

export { yauzl, yazl };
