/**
 * Making a custody report from the workbench: of the whole case, of the items the board shows
 * (its filters and map area), or of one item from its page. The examiner picks the format and
 * what to do with sensitive places and graphic pictures; the report runs as a job (verification
 * first), and the finished file, kept in the case's exports/, is offered as a download with its
 * SHA-256 and the ledger head it covers. With "Timestamp this report" (offered when the examiner
 * has a time-stamping authority) the head recording the report is timestamped after it. See
 * docs/REPORT.md.
 */
import { Alert, Button, Checkbox, Group, Progress, Radio, Stack, Text } from "@mantine/core";
import { useEffect, useState } from "react";
import type { ReportFormat, ReportGraphic, ReportSensitive } from "../../../../shared/reports/reportModel.js";
import { inertText } from "../../../../shared/text/inertText.js";
import type { Connection } from "../../connection.js";
import { useJob } from "../../components/useJob.js";
import { AppModal } from "../../components/AppModal.js";
import { ExportedFile } from "../../components/ExportedFile.js";
import { outcomeText } from "../ledger/TimestampPanel.js";

const FORMATS: { value: ReportFormat; label: string }[] = [
  { value: "pdf", label: "PDF (to file with a court; the data attached inside)" },
  { value: "html", label: "HTML (one self-contained page)" },
  { value: "json", label: "JSON (for other programs; schema in docs/report.schema.json)" },
  { value: "csv", label: "CSV (one row per item, for spreadsheets)" },
];

/** Items a report may cover besides the whole case: one item, or what the board shows. */
export interface ReportItems {
  /** "this item", "the 12 items the board shows". */
  label: string;
  sha256s: string[];
  /** How many, when known without making the list (the board makes it only when a dialog reads it). */
  count?: number;
}

/** How many items `items` holds, read without making a list that is made on demand. */
export const itemCount = (items: ReportItems | undefined): number =>
  items ? (items.count ?? items.sha256s.length) : 0;

export function ReportDialog({
  connection,
  dir,
  opened,
  onClose,
  items,
}: {
  connection: Connection;
  dir: string;
  opened: boolean;
  onClose: () => void;
  items?: ReportItems;
}) {
  const { api } = connection.client;
  const [scope, setScope] = useState<"case" | "items">(items ? "items" : "case");
  const [format, setFormat] = useState<ReportFormat>("pdf");
  const [sensitive, setSensitive] = useState<ReportSensitive>("rounded");
  const [graphic, setGraphic] = useState<ReportGraphic>("veiled");
  const [job, setJob] = useJob(connection.client);
  const [problem, setProblem] = useState<string | null>(null);
  const [stamp, setStamp] = useState(false);
  /** How many time-stamping authorities the examiner has; null while asking. */
  const [authorities, setAuthorities] = useState<number | null>(null);
  const report = job?.status === "finished" ? (job.report ?? null) : null;
  const isRunning = job?.status === "running";

  useEffect(() => {
    if (!opened) return;
    setJob(null);
    setProblem(null);
    setScope(itemCount(items) > 0 ? "items" : "case");
    setAuthorities(null);
    void api.timestampAuthorities({ dir }).then((r) => setAuthorities(r.ok ? r.value.length : 0));
    // items are read when the dialog opens, not followed while it is open.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [opened]);

  const ended = job && job.status !== "running" && job.status !== "finished" ? job : null;
  useEffect(() => {
    if (ended) setProblem(ended.error ?? `the report was ${ended.status}`);
  }, [ended]);

  const run = async () => {
    setProblem(null);
    const r = await api.generateReport({
      dir,
      format,
      sensitive,
      graphic,
      timestamp: stamp && (authorities ?? 0) > 0,
      ...(scope === "items" && items ? { items: items.sha256s } : {}),
    });
    if (!r.ok) return setProblem(r.error.message);
    const started = await api.getJob({ jobId: r.value.jobId });
    if (started.ok) setJob(started.value);
  };

  const p = job?.progress;
  const percent = p && p.bytesTotal > 0 ? Math.round((100 * p.bytesDone) / p.bytesTotal) : 0;
  return (
    <AppModal opened={opened} onClose={onClose} title="Custody report" size="lg" closeLabel="Close the report dialog">
      <Stack gap="sm">
        <Text size="sm">
          The case is verified first; the report is built from its ledger, kept in the case and recorded with its
          SHA-256.
        </Text>
        <Radio.Group label="What to report on" value={scope} onChange={(v) => setScope(v as "case" | "items")}>
          <Stack gap={4} mt={4}>
            <Radio value="case" label="The whole case" disabled={isRunning} />
            {items && itemCount(items) > 0 && (
              <Radio value="items" label={inertText(items.label)} disabled={isRunning} />
            )}
          </Stack>
        </Radio.Group>
        <Radio.Group label="Format" value={format} onChange={(v) => setFormat(v as ReportFormat)}>
          <Stack gap={4} mt={4}>
            {FORMATS.map((f) => (
              <Radio key={f.value} value={f.value} label={f.label} disabled={isRunning} />
            ))}
          </Stack>
        </Radio.Group>
        <Radio.Group
          label="Places marked sensitive"
          value={sensitive}
          onChange={(v) => setSensitive(v as ReportSensitive)}
        >
          <Stack gap={4} mt={4}>
            <Radio value="rounded" label="Rounded to about 1 km (map snapshots left out)" disabled={isRunning} />
            <Radio value="withheld" label="Withheld" disabled={isRunning} />
            <Radio value="exact" label="Exact, as recorded" disabled={isRunning} />
          </Stack>
        </Radio.Group>
        {sensitive === "exact" && (
          <Alert color="orange" variant="light">
            Exact places can expose a witness. The report will say you chose to include them.
          </Alert>
        )}
        <Radio.Group
          label="Pictures of items tagged graphic"
          value={graphic}
          onChange={(v) => setGraphic(v as ReportGraphic)}
        >
          <Stack gap={4} mt={4}>
            <Radio value="veiled" label="Veiled (blurred in the file itself)" disabled={isRunning} />
            <Radio value="shown" label="Shown as recorded" disabled={isRunning} />
          </Stack>
        </Radio.Group>
        <Checkbox
          label="Timestamp this report"
          description={
            authorities === 0
              ? "Not available: no time-stamping authority is set up for you. Add one under Trusted timestamps in the ledger view."
              : "After the report is recorded, a time-stamping authority signs the time of the ledger head that records it (RFC 3161)."
          }
          checked={stamp && (authorities ?? 0) > 0}
          disabled={isRunning || !authorities}
          onChange={(e) => setStamp(e.currentTarget.checked)}
        />
        {isRunning && p && (
          <Stack gap={4} aria-live="polite">
            <Text size="sm">
              {p.currentFile ? `${p.currentFile[0]!.toUpperCase()}${p.currentFile.slice(1)}…` : "Starting…"}
            </Text>
            <Progress value={percent} aria-label="Report progress" />
          </Stack>
        )}
        {problem && (
          <Alert color="red" role="alert">
            {inertText(problem)}
          </Alert>
        )}
        {report && (
          <Alert color={report.isClean ? "teal" : "red"} variant="light" role="status" title="Report made">
            <ExportedFile file={report} name="the report" seq={report.seq} save={{ connection, dir }}>
              <Text size="sm">
                {report.isClean
                  ? "Verification at report time: clean."
                  : `Verification FAILED at report time (${report.problemCount} problems); the report says so on every page.`}
              </Text>
              <Text size="sm">
                {report.itemCount} item{report.itemCount === 1 ? "" : "s"}, up to ledger event {report.head.seq}.
              </Text>
              {report.timestamp && (
                <Text size="sm" fw={report.timestamp.status === "recorded" ? undefined : 700}>
                  {inertText(outcomeText(report.timestamp))}
                </Text>
              )}
            </ExportedFile>
          </Alert>
        )}
        <Group justify="flex-end">
          <Button variant="default" onClick={onClose}>
            Close
          </Button>
          <Button onClick={() => void run()} loading={isRunning}>
            Make the report
          </Button>
        </Group>
      </Stack>
    </AppModal>
  );
}

/**
 * A button that opens the report dialog: the one line board and item pages mount. The board's
 * selection bar mounts a second one with `buttonLabel` "Report on selected…" and the selected items.
 */
export function ReportButton({
  buttonLabel,
  ...props
}: {
  connection: Connection;
  dir: string;
  items?: ReportItems;
  buttonLabel?: string;
}) {
  const [opened, setOpened] = useState(false);
  return (
    <>
      <Button size="xs" variant="default" onClick={() => setOpened(true)}>
        {buttonLabel ?? "Custody report"}
      </Button>
      <ReportDialog {...props} opened={opened} onClose={() => setOpened(false)} />
    </>
  );
}
