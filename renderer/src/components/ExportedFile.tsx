/**
 * A file the workbench wrote (a report, an export, a scorecard, a bundle): where it is, its size
 * and its SHA-256 (copyable, to compare with the ledger event that records it), and, for a file
 * kept in the case's exports/, a link to save a copy outside the case (the kept one stays,
 * read-only). Paths are shown inert: a case folder may come from someone else.
 */
import { Anchor, Button, Code, CopyButton, Group, Stack, Text } from "@mantine/core";
import type { ReactNode } from "react";
import { inertText } from "../../../shared/text/inertText.js";
import { formatBytes } from "../../../shared/text/units.js";
import type { Connection } from "../connection.js";
import { useFileUrl } from "../views/item/useFileUrl.js";

export interface WrittenFile {
  /** Case-relative ("exports/…") for a file kept in the case, else where it was written or read. */
  path: string;
  size: number;
  sha256: string;
}

export function ExportedFile({
  file,
  name,
  seq,
  lead = "Kept in the case as",
  save,
  children,
}: {
  file: WrittenFile;
  /** What the file is, as the sentence says it ("the report"): names its hash and its save link. */
  name: string;
  /** The ledger event that recorded the file, when there is one. */
  seq?: number;
  /** The words before the path. */
  lead?: string;
  /** Where to fetch a file kept in the case from, for its save link; absent for one outside it. */
  save?: { connection: Connection; dir: string };
  /** What is particular to this file, said before where it is. */
  children?: ReactNode;
}) {
  return (
    <Stack gap={4}>
      {children}
      <Text size="sm">
        {lead} <Code aria-label="Exported file">{inertText(file.path)}</Code> ({formatBytes(file.size)})
        {seq === undefined ? "." : `, recorded as ledger event ${seq}.`}
      </Text>
      <Group gap={4} wrap="nowrap">
        <Text size="xs" className="mono" style={{ wordBreak: "break-all" }} aria-label={`SHA-256 of ${name}`}>
          SHA-256 {file.sha256}
        </Text>
        <CopyButton value={file.sha256}>
          {({ copied, copy }) => (
            <Button size="compact-xs" variant="subtle" onClick={copy} aria-label="Copy the SHA-256">
              {copied ? "Copied" : "Copy"}
            </Button>
          )}
        </CopyButton>
      </Group>
      {save && <SaveLink {...save} file={file} name={name} />}
    </Stack>
  );
}

/** How the formats the workbench writes are spelt where people meet them, by file extension. */
const KIND_NAMES: Record<string, string> = {
  html: "HTML",
  pdf: "PDF",
  zip: "ZIP",
  json: "JSON",
  jsonld: "JSON-LD",
  geojson: "GeoJSON",
  kml: "KML",
  csv: "CSV",
  png: "PNG",
  txt: "text",
};

/** The kind of file a path names, said as its format is written ("JSON-LD", "GeoJSON"), if known. */
export function fileKind(path: string): string | undefined {
  const ext = /\.([a-z0-9]+)$/i.exec(path)?.[1]?.toLowerCase();
  if (ext === undefined) return undefined;
  return Object.hasOwn(KIND_NAMES, ext) ? KIND_NAMES[ext] : ext.toUpperCase();
}

function SaveLink({
  connection,
  dir,
  file,
  name,
}: {
  connection: Connection;
  dir: string;
  file: WrittenFile;
  name: string;
}) {
  const [url] = useFileUrl(connection, dir, file.path);
  if (!url) return null;
  const kind = fileKind(file.path);
  return (
    <Anchor href={url} download={file.path.replace(/^exports\//, "")} size="sm">
      Save a copy of {name} ({kind ? `${kind}, ` : ""}
      {formatBytes(file.size)})
    </Anchor>
  );
}
