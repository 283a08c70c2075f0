/** The board's import panels: live progress of a running import and how the last one ended. */
import { Box, Button, Card, Group, Progress, Text } from "@mantine/core";
import { useEffect, useState } from "react";
import { type ImportProgressInfo, type JobInfo } from "../../../../shared/api/contract.js";
import { inertText } from "../../../../shared/text/inertText.js";
import { formatBytes, formatCount, formatDuration } from "../../../../shared/text/units.js";
import { importCounts } from "./importCounts.js";
import { NotImportedDialog } from "./NotImportedDialog.js";
import { downloadText, notImportedCsv, readAllNotImported, type FetchNotImported } from "./notImportedList.js";

/**
 * How the last import ended: counts, the files that did not come in with why (the first ones here,
 * every one in a list of their own or a CSV file when the job keeps its full list), and warnings.
 */
export function ImportSummary({ job, fetchNotImported }: { job: JobInfo; fetchNotImported: FetchNotImported }) {
  const [isOpen, setOpen] = useState(false);
  const [isListOpen, setListOpen] = useState(false);
  const [saving, setSaving] = useState<string | null>(null);
  const { imported, duplicate, missedCount, missed } = importCounts(job);
  const shown = missed.slice(0, 500);
  const hasList = job.hasNotImportedList === true && missedCount > 0;
  const save = async () => {
    setSaving("Reading the list…");
    try {
      const all = await readAllNotImported(fetchNotImported);
      downloadText(notImportedCsv(all), `not-imported-${job.jobId}.csv`, "text/csv");
      setSaving(`Saved the list of ${formatCount(all.length)} files not imported.`);
    } catch (error) {
      setSaving(`The list could not be saved: ${(error as Error).message}`);
    }
  };
  return (
    <Box mt="xs">
      <Group gap="xs" wrap="nowrap">
        <Text size="sm" c={job.status === "finished" && missedCount === 0 ? "teal" : "orange"} role="status">
          Import {job.status}: {formatCount(imported)} imported, {formatCount(duplicate)} already in the case,{" "}
          {formatCount(missedCount)} not imported
          {job.error ? ` (${inertText(job.error)})` : ""}
        </Text>
        {(missedCount > 0 || job.warnings.length > 0) && (
          <Button size="compact-xs" variant="subtle" onClick={() => setOpen((o) => !o)} aria-expanded={isOpen}>
            {isOpen ? "Hide details" : "Details"}
          </Button>
        )}
        {hasList && (
          <>
            <Button size="compact-xs" variant="subtle" onClick={() => setListOpen(true)}>
              Show all {formatCount(missedCount)} files not imported
            </Button>
            <Button
              size="compact-xs"
              variant="subtle"
              onClick={() => void save()}
              loading={saving === "Reading the list…"}
            >
              Save the list…
            </Button>
          </>
        )}
      </Group>
      {saving && (
        <Text size="xs" c="dimmed" role="status">
          {inertText(saving)}
        </Text>
      )}
      {isListOpen && (
        <NotImportedDialog fetchPage={fetchNotImported} expected={missedCount} onClose={() => setListOpen(false)} />
      )}
      {isOpen && (
        <Box className="import-details" aria-label="Import details" mt={4}>
          {job.warnings.map((w) => (
            <Text key={w} size="xs" c="orange">
              {inertText(w)}
            </Text>
          ))}
          {shown.map((o) => (
            <Text key={o.displayPath} size="xs" className="mono">
              <span className="import-path">{inertText(o.displayPath)}</span> — {inertText(o.reason)}
            </Text>
          ))}
          {missedCount > shown.length && (
            <Text size="xs" c="dimmed">
              and {formatCount(missedCount - shown.length)} more not listed here
              {hasList ? ": show all of them, or save the list" : ""}
            </Text>
          )}
        </Box>
      )}
    </Box>
  );
}

export interface RunningImport {
  id: string;
  progress: ImportProgressInfo;
  /** When the current phase began: rate and time left are per phase (receiving, then copying). */
  phaseStarted: number;
}

/** An import's phases in words; a phase of another kind of job is shown by its name. */
const PHASE_LABEL: Partial<Record<ImportProgressInfo["phase"], string>> = {
  receiving: "Receiving",
  scanning: "Scanning",
  copying: "Copying and hashing",
  committing: "Recording",
  analysing: "Analysing",
  verifying: "Verifying",
  finished: "Finishing",
};

export function ImportProgress({ job, onCancel }: { job: RunningImport; onCancel: () => void }) {
  const p = job.progress;
  // Re-render each second so the rate and time left move even between progress events.
  const [, setTick] = useState(0);
  useEffect(() => {
    const timer = setInterval(() => setTick((t) => t + 1), 1000);
    return () => clearInterval(timer);
  }, []);
  const seconds = (Date.now() - job.phaseStarted) / 1000;
  const rate = seconds > 0.5 ? p.bytesDone / seconds : 0;
  const left = rate > 0 ? (p.bytesTotal - p.bytesDone) / rate : null;
  const pct = p.bytesTotal > 0 ? (100 * p.bytesDone) / p.bytesTotal : 0;
  const isAnalysing = p.phase === "analysing";
  // While the folders are still being walked the totals are what was found so far: no time left yet.
  const isWalking = p.isScanComplete === false;
  return (
    <Card withBorder mt="sm" padding="sm" aria-label="Import progress">
      <Group justify="space-between" mb={6} wrap="nowrap">
        <Text size="sm" role="status">
          {isAnalysing
            ? `Analysing: metadata, thumbnails and keyframes, ${formatCount(p.analysing)} item(s) left`
            : `${PHASE_LABEL[p.phase] ?? p.phase}: ${formatCount(p.filesDone)} of ${formatCount(p.filesTotal)} files${isWalking ? " found so far" : ""}, ${formatBytes(p.bytesDone)} of ${formatBytes(p.bytesTotal)}`}
          {!isAnalysing && rate > 0 && ` · ${formatBytes(rate)}/s`}
          {!isAnalysing && !isWalking && left !== null && p.bytesDone > 0 && ` · ${formatDuration(left)} left`}
        </Text>
        <Button size="xs" variant="light" color="red" onClick={onCancel}>
          Cancel
        </Button>
      </Group>
      <Progress value={isAnalysing ? 100 : pct} animated={isAnalysing} aria-label="Import" />
      {p.currentFile && (
        <Text size="xs" c="dimmed" mt={4} className="mono" truncate>
          {inertText(p.currentFile)}
        </Text>
      )}
    </Card>
  );
}
