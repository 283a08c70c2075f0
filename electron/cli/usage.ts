/** The `sightline` command's help text and its usage errors (exit code 2). */

export class UsageError extends Error {}

export const USAGE = `Sightline: verify photos and videos as evidence.

Usage:
  sightline init   <case-dir> --title TEXT --examiner NAME [--hash md5,sha1] [--json]
  sightline import <case-dir> <file-or-folder>... [--source-url URL] [--source-account NAME]
                   [--collected-at TIME] [--method TEXT] [--note TEXT] [--no-analyse] [--json]
                   Each new item's metadata, thumbnail, keyframes (video) and pHash are
                   recorded as it lands; --no-analyse stores and logs the bytes only.
  sightline verify <case-dir> [--json]
  sightline ledger <case-dir> [--json]
  sightline analyse <case-dir> [--json]
                                     metadata and derivatives of items not yet analysed
  sightline inspect <file> [--json]  what a file says about itself (no case; never writes)
  sightline similar <case-dir> [--threshold BITS] [--json]
                                     near-duplicate groups of pictures and video frames
  sightline examiner key --name NAME  this profile's key card for NAME (send it to a case examiner)
  sightline examiner add <case-dir> <key-card.json> [--json]
                                     add that examiner to the case, signed by your key in it
  sightline examiner list <case-dir> [--json]
  sightline host   [--port N] [--open]  serve the workbench and its API on 127.0.0.1;
                                     --open shows it in a Chromium app window (npm start)

  TIME is ISO 8601 with a time zone, e.g. 2026-02-16T09:12:00+01:00.
  Examiner keys live in $SIGHTLINE_HOME (default ~/.config/sightline).

Exit codes: 0 success, 1 problems found or input not imported, 2 usage error.`;
