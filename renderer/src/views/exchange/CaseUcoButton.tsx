/**
 * "Export CASE/UCO" beside "Export bundle": the whole case as CASE/UCO JSON-LD (the
 * Cyber-investigation Analysis Standard Expression), kept in the case's exports/ folder (where
 * verify re-hashes it) as a job and recorded as uco.exported, as `sightline export --format case-uco` does; the result gives the
 * file, its SHA-256 and the ledger head it holds, and a link to save a copy elsewhere (a legal team hands
 * the file on; the kept one stays, as the report dialog does). See docs/LEDGER.md, "CASE/UCO exports".
 */
import { Alert, Button, Code, Group, Text } from "@mantine/core";
import { useState } from "react";
import type { ApiClient } from "../../../api/apiClient.js";
import { inertText } from "../../../../shared/text/inertText.js";
import { ExportedFile } from "../../components/ExportedFile.js";
import { JobProgress } from "../../components/JobProgress.js";
import { useJob } from "../../components/useJob.js";
import { useConnection } from "../../connectionContext.js";
import { ExportModal } from "./ExportModal.js";

export function CaseUcoButton({ client, dir }: { client: ApiClient; dir: string }) {
  const [opened, setOpened] = useState(false);
  // The app's connection (provided around every view) fetches the kept file for "Save a copy".
  const connection = useConnection();
  const [job, setJob] = useJob(client);
  const [problem, setProblem] = useState<string | null>(null);
  const isRunning = job?.status === "running";
  const x = job?.status === "finished" ? job.exchange : undefined;

  const run = async () => {
    setProblem(null);
    const started = await client.api.exportCaseUco({ dir });
    if (!started.ok) return setProblem(started.error.message);
    const info = await client.api.getJob({ jobId: started.value.jobId });
    if (info.ok) setJob(info.value);
    else setProblem(info.error.message);
  };

  return (
    <>
      <Button size="xs" variant="default" onClick={() => (setJob(null), setProblem(null), setOpened(true))}>
        Export CASE/UCO
      </Button>
      <ExportModal
        opened={opened}
        onClose={() => setOpened(false)}
        title="Export as CASE/UCO"
        closeLabel="Close the CASE/UCO dialog"
        intro="One JSON-LD file in the terms of CASE 1.4.0 and UCO 1.4.0, kept in the case's exports folder, for forensic platforms to take the case in: every item with its hashes, and every acquisition, derivative, review and geolocation as an investigative action. The export is recorded in the ledger, and verification re-checks the file."
      >
        {isRunning && job && <JobProgress job={job} label="CASE/UCO export progress" />}
        {(problem || (job && job.status !== "running" && job.status !== "finished")) && (
          <Alert color="red" role="alert" title="Nothing was exported">
            {inertText(problem ?? job?.error ?? `the job was ${job?.status}`)}
          </Alert>
        )}
        {x && (
          <Alert color="teal" variant="light" role="status" title="CASE/UCO file written">
            <ExportedFile
              file={{ path: x.casePath ?? x.bundle, size: x.size, sha256: x.sha256 }}
              name="the CASE/UCO file"
              lead="Kept in the case as"
              save={{ connection, dir }}
              {...(x.seq !== null ? { seq: x.seq } : {})}
            >
              <Text size="sm">
                {x.itemCount} item{x.itemCount === 1 ? "" : "s"} and {x.actionCount ?? 0} investigative actions, up to
                ledger event {x.head.seq}.
              </Text>
              <Text size="sm">
                Ledger head <Code>{x.head.hash}</Code>
              </Text>
            </ExportedFile>
          </Alert>
        )}
        <Group justify="flex-end">
          <Button variant="default" onClick={() => setOpened(false)}>
            Close
          </Button>
          <Button onClick={() => void run()} loading={isRunning}>
            Write the CASE/UCO file
          </Button>
        </Group>
      </ExportModal>
    </>
  );
}
