/**
 * Where an object lies in a case's vault, by its SHA-256: `objects/sha256/ab/cdef…`. Kept free of
 * zod and of everything else, so the staging threads (which look for an object as they stage a
 * file) load the layout without the schemas; caseFile.ts builds `objectPathFor` on it.
 */

/** The vault's folder of objects, relative to the case folder. */
export const OBJECTS_DIR = "objects/sha256";

/** The object's path under OBJECTS_DIR: its first two hex digits as a folder, the rest as the name. */
export function objectPathInVault(sha256: string): string {
  return `${sha256.slice(0, 2)}/${sha256.slice(2)}`;
}
