/**
 * The board's import row: add files or a folder (or drop them on the board, or give a path on this
 * machine), the provenance for the batch, the running import's progress and the last one's summary.
 */
import { Button, Group, Text, TextInput } from "@mantine/core";
import { useRef } from "react";
import { filesFromInput } from "../../intake.js";
import { ImportProgress, ImportSummary } from "./ImportPanels.js";
import { ProvenanceFields } from "./ProvenanceFields.js";
import type { Imports } from "./useImports.js";

export function ImportBar({ imports: im }: { imports: Imports }) {
  const filePicker = useRef<HTMLInputElement>(null);
  const folderPicker = useRef<HTMLInputElement>(null);
  const onPicked = (e: React.ChangeEvent<HTMLInputElement>) => {
    const files = filesFromInput(e.currentTarget.files!);
    e.currentTarget.value = "";
    void im.importPicked(files);
  };
  const given = Object.values(im.provenance).filter((v) => typeof v === "string" && v.trim() !== "").length;
  const problems = Object.keys(im.check.problems).length;
  return (
    <>
      <Group mt="sm" gap="xs" wrap="nowrap" align="center">
        <Button size="xs" variant="light" onClick={() => filePicker.current?.click()} disabled={!!im.job}>
          Add files…
        </Button>
        <Button size="xs" variant="light" onClick={() => folderPicker.current?.click()} disabled={!!im.job}>
          Add folder…
        </Button>
        <input ref={filePicker} type="file" multiple hidden aria-label="Pick files to import" onChange={onPicked} />
        <input
          ref={folderPicker}
          type="file"
          hidden
          aria-label="Pick a folder to import"
          {...{ webkitdirectory: "" }}
          onChange={onPicked}
        />
        <Text size="xs" c="dimmed" style={{ whiteSpace: "nowrap" }}>
          or drop them here, or import a path:
        </Text>
        <TextInput
          size="xs"
          aria-label="Path to import"
          placeholder="/path/to/file-or-folder"
          classNames={{ input: "mono" }}
          value={im.importPath}
          onChange={(e) => im.setImportPath(e.currentTarget.value)}
          onKeyDown={(e) => e.key === "Enter" && im.importPath && !im.job && void im.importByPath()}
          style={{ flex: 1, minWidth: 160 }}
        />
        <Button size="xs" onClick={() => void im.importByPath()} disabled={!im.importPath || !!im.job}>
          Import
        </Button>
        <Button
          size="xs"
          variant={im.showProvenance ? "filled" : "default"}
          onClick={() => im.setShowProvenance((v) => !v)}
          color={problems ? "red" : undefined}
          aria-expanded={im.showProvenance}
        >
          Provenance{problems ? ` (${problems} to correct)` : given ? ` (${given})` : ""}
        </Button>
      </Group>
      {im.showProvenance && <ProvenanceFields value={im.provenance} check={im.check} onChange={im.setProvenance} />}
      {im.job && <ImportProgress job={im.job} onCancel={im.cancel} />}
      {im.lastJob && !im.job && <ImportSummary job={im.lastJob} fetchNotImported={im.fetchNotImported} />}
    </>
  );
}
