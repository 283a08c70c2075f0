/**
 * README.txt of a bundle: for a recipient who has never heard of Sightline, what each file is
 * and how to check all of it by hand with standard tools. Text from the case (its title) is
 * written inert: a README is read in terminals and editors that obey control characters.
 */
import { inertText } from "../../../shared/text/inertText.js";
import { SUBSET_PROOF_FILE } from "../../../shared/exchange/bundleFormat.js";

export interface ReadmeFacts {
  caseId: string;
  title: string;
  head: { seq: number; hash: string };
  scope: "case" | "items";
  items: readonly string[];
  exportedAt: string;
  exportedBy: string;
  tool: string;
}

export function bundleReadme(f: ReadmeFacts): string {
  const isSubset = f.scope === "items";
  const lines: (string | null)[] = [
    "EVIDENCE BUNDLE - READ ME FIRST",
    "===============================",
    "",
    `Case:         ${inertText(f.title)}`,
    `Case id:      ${f.caseId}`,
    `Exported:     ${f.exportedAt} (UTC) by ${inertText(f.exportedBy)} with ${f.tool}`,
    `Ledger head:  event ${f.head.seq}, hash ${f.head.hash}`,
    isSubset
      ? `Contents:     ${f.items.length} selected item(s) of the case, with the record of everything done to them`
      : "Contents:     the whole case",
    "",
    "This zip file holds digital evidence (photos, videos and other files) together with a",
    "tamper-evident record of how it was collected and examined. It was written by Sightline,",
    "a workbench for verifying photos and videos as evidence, but nothing in it needs",
    "Sightline to be read or checked: every check below uses standard tools (sha256sum,",
    "Python 3, openssl).",
    "",
    "Keep the ledger head above with your paperwork: it is the fingerprint of the record as",
    "it was when this bundle was made.",
    "",
    "WHAT EACH FILE IS",
    "-----------------",
    "README.txt              This explanation.",
    "SHA256SUMS              The SHA-256 fingerprint of every other file (except bundle.json).",
    "bundle.json             The same list with sizes, plus the case id, the ledger head and who",
    "                        exported the bundle, for programs.",
    "verify-ledger.py        A stand-alone checker of the record (Python 3 standard library",
    "                        and the openssl command; one readable file).",
    "case/case.json          The case's name, id and the public keys of its examiners.",
    isSubset
      ? `case/${SUBSET_PROOF_FILE}  The record of the selected items, with proof it belongs to the full record:`
      : "case/ledger.jsonl       The custody record (ledger): one event per line, each signed by",
    isSubset
      ? "                        one line per event of the case; events about other items appear"
      : "                        the examiner who did it and chained to the one before by its hash.",
    isSubset ? "                        only as their hash, signature and link in the chain." : null,
    "case/objects/sha256/    The original files exactly as acquired, named by their own SHA-256",
    "                        (objects/sha256/ab/cdef... is the file whose SHA-256 is abcdef...).",
    "case/derived/<sha256>/  Files made from an original (thumbnails, video keyframes, map",
    "                        snapshots); each one is named, with its hash, in the record.",
    isSubset
      ? null
      : "case/exports/           Files exported from the case (geolocations, reports), each in the record.",
    isSubset ? null : "case/timestamps/        Trusted timestamps (RFC 3161) of the record, if any were taken.",
    "",
    "HOW TO CHECK IT BY HAND",
    "-----------------------",
    "1. Unzip it (the files are stored, not compressed):",
    "       unzip bundle.zip -d bundle && cd bundle",
    "2. Check every file against its fingerprint; every line must say OK:",
    "       sha256sum -c SHA256SUMS",
    "   An original's name is its own SHA-256, so you can also check one alone:",
    "       sha256sum case/objects/sha256/ab/cdef...     (must print abcdef...)",
    isSubset
      ? "3. Check the record and its proof: every event's hash, the chain from the first event"
      : "3. Check the record: every event's hash and signature, the chain, and every original",
    isSubset ? "   to the head, and every signature:" : "   and derived file against the event that recorded it:",
    isSubset
      ? `       python3 verify-ledger.py --subset-proof case/${SUBSET_PROOF_FILE}`
      : "       python3 verify-ledger.py case",
    isSubset
      ? "   It must end by naming the same head as above."
      : "   It must report no problem and name the same head as above.",
    '4. To check one signature yourself (OpenSSL 3): take an event\'s "hash" and "sig" and',
    '   the examiner\'s "publicKey" (base64) from case/case.json or the first event, then:',
    '       echo "$PUBLIC_KEY" | base64 -d > pub.der',
    '       echo "$HASH" | xxd -r -p > hash.bin',
    '       echo "$SIG" | base64 -d > sig.bin',
    "       openssl pkeyutl -verify -pubin -keyform DER -inkey pub.der -rawin -in hash.bin -sigfile sig.bin",
    '   An event\'s hash is the SHA-256 of the event without "hash" and "sig" in RFC 8785',
    "   canonical JSON; verify-ledger.py --canonical prints that form.",
    isSubset ? null : "5. A trusted timestamp in case/timestamps/ (if any) is an RFC 3161 token over the 32",
    isSubset ? null : "   bytes of a ledger head hash (its file is named <seq>-<hash>.tsr); check it with the",
    isSubset ? null : "   time-stamping authority's CA certificate:",
    isSubset ? null : "       printf %s <head hash> | xxd -r -p > head.bin",
    isSubset
      ? null
      : "       openssl ts -verify -token_in -in case/timestamps/<file>.tsr -data head.bin -CAfile tsa-ca.pem",
    "",
    "The full description of the format is in Sightline's docs/LEDGER.md and docs/EXCHANGE.md.",
    "",
  ];
  // CRLF: the one line end every editor a recipient may open it in shows as lines.
  return lines.filter((l) => l !== null).join("\r\n");
}
