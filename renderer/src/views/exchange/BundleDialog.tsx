/**
 * Bundles from the workbench: "Export bundle" on the board writes the case (or the items the
 * board shows, with a proof of their events) as one zip beside the case folder; "Open a bundle"
 * on the start view checks a bundle completely and opens it as a new case folder. Both run as
 * jobs with progress; the result gives the file, its SHA-256 and the ledger head it holds, which
 * the sender and the recipient compare. See docs/EXCHANGE.md.
 */
import { Alert, Button, Card, Code, Group, Radio, Stack, Text, TextInput, Title } from "@mantine/core";
import { useState, type FormEvent } from "react";
import type { ApiClient } from "../../../api/apiClient.js";
import type { CaseSummary, JobInfo } from "../../../../shared/api/contract.js";
import { inertText } from "../../../../shared/text/inertText.js";
import { useJob } from "../../components/useJob.js";
import { ExportedFile } from "../../components/ExportedFile.js";
import { FolderField } from "../../components/FolderField.js";
import { JobProgress } from "../../components/JobProgress.js";
import { CaseUcoButton } from "./CaseUcoButton.js";
import { ExportModal } from "./ExportModal.js";
import { itemCount, type ReportItems } from "../reports/ReportDialog.js";

async function startJob(
  client: ApiClient,
  started: { ok: true; value: { jobId: string } } | { ok: false; error: { message: string } },
) {
  if (!started.ok) throw new Error(started.error.message);
  const job = await client.api.getJob({ jobId: started.value.jobId });
  if (!job.ok) throw new Error(job.error.message);
  return job.value;
}

function Outcome({ job, verb }: { job: JobInfo; verb: string }) {
  if (job.status !== "finished") {
    return (
      <Alert color="red" role="alert" title={`The bundle was not ${verb}`}>
        {inertText(job.error ?? `the job was ${job.status}`)}
      </Alert>
    );
  }
  const x = job.exchange!;
  return (
    <Alert color="teal" variant="light" role="status" title={`Bundle ${verb}`}>
      <ExportedFile
        file={{ path: x.bundle, size: x.size, sha256: x.sha256 }}
        name="the bundle"
        lead={verb === "opened" ? "Read from" : "Written to"}
      >
        <Text size="sm">
          {x.scope === "items" ? `${x.itemCount} item(s) with the proof of their events` : "The whole case"}, up to
          ledger event {x.head.seq}.
        </Text>
        <Text size="sm">
          Ledger head <Code>{x.head.hash}</Code>
        </Text>
        <Text size="sm">
          {x.seq !== null ? `Recorded as ledger event ${x.seq}.` : `Not recorded: ${inertText(x.notRecorded ?? "")}`}
        </Text>
      </ExportedFile>
    </Alert>
  );
}

/**
 * The board's "Export bundle" button and its dialog. With `buttonLabel` (the board's "Export
 * selected…") the button is for those items, and the dialog opens on them rather than the case.
 */
export function BundleButton({
  client,
  dir,
  items,
  buttonLabel,
}: {
  client: ApiClient;
  dir: string;
  items?: ReportItems;
  buttonLabel?: string;
}) {
  const [opened, setOpened] = useState(false);
  const [scope, setScope] = useState<"case" | "items">("case");
  const [job, setJob] = useJob(client);
  const [problem, setProblem] = useState<string | null>(null);
  const isRunning = job?.status === "running";

  const run = async () => {
    setProblem(null);
    try {
      const started = await client.api.exportBundle({
        dir,
        ...(scope === "items" && items ? { items: items.sha256s } : {}),
      });
      setJob(await startJob(client, started));
    } catch (error) {
      setProblem((error as Error).message);
    }
  };

  return (
    <>
      <Button
        size="xs"
        variant="default"
        onClick={() => {
          setJob(null);
          setProblem(null);
          setScope(buttonLabel && itemCount(items) > 0 ? "items" : "case");
          setOpened(true);
        }}
      >
        {buttonLabel ?? "Export bundle"}
      </Button>
      {/* The whole case's other export sits beside the board's own button (not the selection's). */}
      {!buttonLabel && <CaseUcoButton client={client} dir={dir} />}
      <ExportModal
        opened={opened}
        onClose={() => setOpened(false)}
        title="Export a bundle"
        closeLabel="Close the bundle dialog"
        intro="One zip file, written beside the case folder: the originals, their derivatives and the signed ledger, with a README telling the recipient how to check every file by hand. The export is recorded in the ledger."
      >
        <Radio.Group label="What to export" value={scope} onChange={(v) => setScope(v as "case" | "items")}>
          <Stack gap={4} mt={4}>
            <Radio value="case" label="The whole case" disabled={isRunning} />
            {items && itemCount(items) > 0 && (
              <Radio
                value="items"
                label={`${inertText(items.label)}, with a proof that their events belong to the ledger`}
                disabled={isRunning}
              />
            )}
          </Stack>
        </Radio.Group>
        {isRunning && job && <JobProgress job={job} label="Bundle export progress" />}
        {problem && (
          <Alert color="red" role="alert">
            {inertText(problem)}
          </Alert>
        )}
        {job && job.status !== "running" && <Outcome job={job} verb="written" />}
        <Group justify="flex-end">
          {isRunning && job && (
            <Button variant="default" onClick={() => void client.api.cancelJob({ jobId: job.jobId })}>
              Cancel
            </Button>
          )}
          <Button variant="default" onClick={() => setOpened(false)}>
            Close
          </Button>
          <Button onClick={() => void run()} loading={isRunning}>
            Write the bundle
          </Button>
        </Group>
      </ExportModal>
    </>
  );
}

/** The start view's "Open a bundle" card. */
export function OpenBundleCard({ client, onOpen }: { client: ApiClient; onOpen: (s: CaseSummary) => void }) {
  const [bundle, setBundle] = useState("");
  const [dir, setDir] = useState("");
  const [job, setJob] = useJob(client);
  const [problem, setProblem] = useState<string | null>(null);
  const isRunning = job?.status === "running";

  const run = async (e: FormEvent) => {
    e.preventDefault();
    setProblem(null);
    try {
      setJob(await startJob(client, await client.api.openBundle({ bundle, dir })));
    } catch (error) {
      setProblem((error as Error).message);
    }
  };
  const openCase = async () => {
    const r = await client.api.openCase({ dir: job!.exchange!.dir });
    if (!r.ok) return setProblem(r.error.message);
    onOpen(r.value);
  };

  return (
    <Card withBorder padding="lg" component="form" onSubmit={run} aria-label="Open a bundle">
      <Stack gap="sm">
        <Title order={3} size="h4">
          Open a bundle
        </Title>
        <Text size="sm" c="dimmed">
          Every file is checked against the bundle&apos;s manifest and the case against its ledger before anything is
          kept.
        </Text>
        <TextInput
          label="Bundle file"
          required
          value={bundle}
          onChange={(e) => setBundle(e.currentTarget.value)}
          classNames={{ input: "mono" }}
        />
        <FolderField
          label="New case folder"
          description="Where the case is opened: a new or empty folder"
          value={dir}
          onChange={setDir}
        />
        {isRunning && job && <JobProgress job={job} label="Bundle check progress" />}
        {problem && (
          <Alert color="red" role="alert">
            {inertText(problem)}
          </Alert>
        )}
        {job && job.status !== "running" && <Outcome job={job} verb="opened" />}
        <Group justify="flex-end">
          {job?.status === "finished" && job.exchange?.scope === "case" && (
            <Button variant="light" onClick={() => void openCase()}>
              Open the case
            </Button>
          )}
          <Button type="submit" loading={isRunning}>
            Check and open
          </Button>
        </Group>
      </Stack>
    </Card>
  );
}
