/**
 * One sample package as a trainer chooses it: its title, author, task, time allowed, hints and
 * size, as a radio card. Nothing of its answer key is known here (the API gives none).
 */
import { Badge, Group, Radio, Stack, Text } from "@mantine/core";
import type { SampleSummary } from "../../../../shared/api/trainingContract.js";
import { inertText } from "../../../../shared/text/inertText.js";
import { formatBytes } from "../../../../shared/text/units.js";
import { timeAllowedText } from "./trainingText.js";

export function SampleChoice({ sample, disabled }: { sample: SampleSummary; disabled: boolean }) {
  const b = sample.briefing;
  return (
    <Radio.Card
      value={sample.path}
      p="sm"
      radius="md"
      disabled={disabled}
      aria-label={`${inertText(sample.title)}, by ${inertText(sample.author)}`}
    >
      <Group wrap="nowrap" align="flex-start" gap="sm">
        <Radio.Indicator mt={4} />
        <Stack gap={4} style={{ flex: 1, minWidth: 0 }}>
          <Group gap="xs" justify="space-between" wrap="nowrap">
            <Text fw={600} truncate>
              {inertText(sample.title)}
            </Text>
            <Badge variant="light" color={sample.shipped ? "teal" : "gray"} style={{ flexShrink: 0 }}>
              {sample.shipped ? "comes with Sightline" : "opened from a file"}
            </Badge>
          </Group>
          <Text size="xs" c="dimmed">
            By {inertText(sample.author)}
          </Text>
          <Text size="sm" lineClamp={3}>
            {inertText(b.task.replace(/\s+/g, " "))}
          </Text>
          <Text size="xs" c="dimmed">
            {timeAllowedText(b.timeAllowedMinutes)} · {sample.hintCount} hint{sample.hintCount === 1 ? "" : "s"} ·{" "}
            {sample.fileCount} file{sample.fileCount === 1 ? "" : "s"} · {formatBytes(sample.size)}
          </Text>
        </Stack>
      </Group>
    </Radio.Card>
  );
}
