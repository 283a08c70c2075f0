/**
 * A running job's progress under a form: what it is doing in words (verifying the case, the file
 * being imported, or bytes done of the total) and a bar named for screen readers. File names come
 * from the job: shown inert.
 */
import { Progress, Stack, Text } from "@mantine/core";
import type { JobInfo } from "../../../shared/api/contract.js";
import { inertText } from "../../../shared/text/inertText.js";
import { formatBytes } from "../../../shared/text/units.js";

export function JobProgress({ job, label }: { job: JobInfo; label: string }) {
  const p = job.progress;
  const percent = p.bytesTotal > 0 ? Math.round((100 * p.bytesDone) / p.bytesTotal) : 0;
  return (
    <Stack gap={4} aria-live="polite">
      <Text size="sm">
        {p.phase === "verifying"
          ? "Verifying the case…"
          : p.currentFile
            ? `Importing ${inertText(p.currentFile)}…`
            : `${formatBytes(p.bytesDone)} of ${formatBytes(p.bytesTotal)}`}
      </Text>
      <Progress value={percent} aria-label={label} />
    </Stack>
  );
}
