/**
 * Exporting a scorecard: PDF (printed like the custody report) or JSON, written to the case's
 * exports/ and recorded (`scorecard.exported`); each export shows where it was kept, its SHA-256,
 * and a link to save a copy.
 */
import { Alert, Button, Group, Stack } from "@mantine/core";
import { useState } from "react";
import type { Connection } from "../../connection.js";
import type { ScorecardExportResult } from "../../../../shared/api/trainingContract.js";
import { inertText } from "../../../../shared/text/inertText.js";
import { ExportedFile } from "../../components/ExportedFile.js";

type Format = "pdf" | "json";

export function ScorecardExports({ connection, dir }: { connection: Connection; dir: string }) {
  const [busy, setBusy] = useState<Format | null>(null);
  const [written, setWritten] = useState<Partial<Record<Format, ScorecardExportResult>>>({});
  const [problem, setProblem] = useState<string | null>(null);

  const run = async (format: Format) => {
    setBusy(format);
    setProblem(null);
    const r = await connection.client.api.exportScorecard({ dir, format });
    setBusy(null);
    if (!r.ok) return setProblem(r.error.message);
    setWritten((w) => ({ ...w, [format]: r.value }));
  };

  return (
    <Stack gap="xs" role="region" aria-label="Scorecard exports">
      <Group gap="xs">
        <Button
          size="xs"
          variant="light"
          loading={busy === "pdf"}
          disabled={busy !== null}
          onClick={() => void run("pdf")}
        >
          Export as PDF
        </Button>
        <Button
          size="xs"
          variant="light"
          loading={busy === "json"}
          disabled={busy !== null}
          onClick={() => void run("json")}
        >
          Export as JSON
        </Button>
      </Group>
      {problem && (
        <Alert color="red" role="alert">
          {inertText(problem)}
        </Alert>
      )}
      {(["pdf", "json"] as const).map(
        (f) =>
          written[f] && (
            <Alert
              key={f}
              color="teal"
              variant="light"
              role="status"
              title={`Scorecard exported as ${f.toUpperCase()}`}
              aria-label={`Scorecard exported as ${f.toUpperCase()}`}
            >
              <ExportedFile
                file={written[f]}
                name="the scorecard export"
                seq={written[f].seq}
                save={{ connection, dir }}
              />
            </Alert>
          ),
      )}
    </Stack>
  );
}
