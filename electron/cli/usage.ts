/** The `sightline` command's help text and its usage errors (exit code 2). */

export class UsageError extends Error {}

export const USAGE = `Sightline: verify photos and videos as evidence.

Usage:
  sightline init   <case-dir> --title TEXT --examiner NAME [--hash md5,sha1] [--json]
  sightline import <case-dir> <file-or-folder>... [--source-url URL] [--source-account NAME]
                   [--collected-at TIME [--collected-at-zone ZONE]] [--method TEXT] [--note TEXT]
                   [--no-analyse] [--restore] [--json]
                   TIME: 2026-02-16T09:12:00+01:00, 2026-02-16 09:12 or 16/02/2026 09:12
                   (day/month/year); a TIME without a zone needs ZONE (+01:00, UTC).
                   Each new item's metadata, thumbnail, keyframes (video) and pHash are
                   recorded as it lands; --no-analyse stores and logs the bytes only.
                   A file with the same bytes as an item whose vault copy is damaged
                   (missing, changed, cut short) is reported; --restore restores the vault
                   copy from it, keeping the damaged copy under recovered/ (original.restored).
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
  sightline report <case-dir> --format pdf|html|json|csv --out FILE [--items SHA256,...]
                   [--sensitive rounded|withheld|exact] [--graphic veiled|shown] [--timestamp] [--json]
                                     verify the case and write its custody report (kept in the
                                     case's exports/ and recorded in the ledger too); --timestamp
                                     also timestamps the head that records it (RFC 3161)
  sightline timestamp <case-dir> [--tsa URL] [--timeout SECONDS] [--json]
                                     an RFC 3161 timestamp of the ledger head, stored in the case;
                                     queued (a pending request) when no authority answers
  sightline timestamp <case-dir> --send-pending | --list | --authorities [--json]
  sightline timestamp <case-dir> --add-tsa URL --anchors CA.pem [--name NAME] | --remove-tsa URL
                                     the examiner's time-stamping authorities and trust anchors
  sightline export <case-dir> --bundle FILE.zip | --bagit DIR [--items SHA256,...] [--json]
                                     the case (or those items, with a proof of their events) in
                                     one zip with a README, or as a BagIt bag; recorded in the ledger
  sightline export <case-dir> --format case-uco [--out FILE.jsonld] [--json]
                                     the case as CASE 1.4.0 / UCO 1.4.0 JSON-LD, kept in exports/
                                     (and copied to FILE); recorded in the ledger
  sightline open-bundle FILE.zip <case-dir> [--json]
                                     check a bundle completely, then open it as a new case folder
  sightline exercise start FILE.sightline-sample <new-case-dir> --trainee NAME [--json]
                                     a training exercise: a fresh case from the sample, its key
                                     kept in your profile (only its hash enters the case)
  sightline exercise hint <case-dir> <n> | submit <case-dir> | score <case-dir> [--json]
                                     open hint n (in order); submit (freezes the work and scores
                                     it against the key); show the recorded scorecard
  sightline exercise export <case-dir> --format pdf|html|json [--json]
                                     the scorecard in the case's exports/ (recorded in the ledger)
  sightline sample inspect FILE.sightline-sample [--json]
                                     check a sample package against its manifest (key not shown)
  sightline sample author <case-dir> --answers ANSWERS.json --out FILE.sightline-sample [--json]
                                     pack chosen items with a briefing, hints and answer key
  sightline host   [--port N] [--open]  serve the workbench and its API on 127.0.0.1;
                                     --open shows it in a Chromium app window (npm start)

  TIME is ISO 8601 with a time zone, e.g. 2026-02-16T09:12:00+01:00.
  Examiner keys live in $SIGHTLINE_HOME (default ~/.config/sightline).

Exit codes: 0 success, 1 problems found or input not imported, 2 usage error.`;
