/** An item's custody: its hashes, every acquisition of its bytes, and its ledger events newest first. */
import { Box, Button, CopyButton, Group, Stack, Table, Text, Title, Tooltip } from "@mantine/core";
import type { ItemDetail, TimelineEntry } from "../../../../shared/api/contract.js";
import { resamplingWords, snapshotResampling } from "../../../../shared/geo/snapshotResampling.js";
import { inertText } from "../../../../shared/text/inertText.js";
import { eventHeadline, warningTitle, warningsInWords } from "../../../../shared/text/plainWords.js";
import { formatTime } from "../../../../shared/text/times.js";
import { describeGeoEvent } from "../geolocate/geoEventText.js";
import { Field, NotGiven } from "./Field.js";

/** One acquisition of the bytes: where from, when, by whom, and the collection record as given. */
function AcquisitionCard({ acquisition: a }: { acquisition: ItemDetail["acquisitions"][number] }) {
  const c = a.collection;
  const source = a.source as typeof a.source & { channel?: string };
  const rows: [string, string | null][] = [
    ["Acquired", `${formatTime(a.acquisition.acquiredAt)} by ${c.collectedBy.name}`],
    [
      "From",
      source.channel === "upload"
        ? `${source.path} (sent by the workbench page; its folder on disk is not known)`
        : source.channel === "window"
          ? `${source.path} (dropped in the workbench window, read from disk)`
          : source.path,
    ],
    ["File modified", source.fileTimes.modified ? formatTime(source.fileTimes.modified) : null],
    ["Source", [c.sourceUrl, c.sourceAccount].filter(Boolean).join(" · ") || null],
    ["Collected at", c.collectedAt ? formatTime(c.collectedAt) : null],
    ["Method", c.method],
    ...(c.note ? [["Note", c.note] as [string, string]] : []),
    ["Machine", `${a.acquisition.host} · ${a.acquisition.user} · ${a.acquisition.platform}`],
  ];
  const missing = rows.filter(([, value]) => value === null).map(([label]) => label.toLowerCase());
  return (
    <Box p={6} style={{ border: "1px solid var(--mantine-color-default-border)", borderRadius: 4 }}>
      <Text size="xs" c="dimmed" className="mono" mb={2}>
        #{a.seq} · {a.isNewObject ? "first acquisition" : "acquired again (same bytes)"}
      </Text>
      {rows.map(([label, value]) => (
        <Text key={label} size="xs">
          <Text span c="dimmed" size="xs">
            {label}:{" "}
          </Text>
          {value === null ? <NotGiven inline>not given at import</NotGiven> : inertText(value)}
        </Text>
      ))}
      {missing.length > 0 && (
        <Text size="xs" c="orange" mt={2}>
          The collection record lacks {missing.join(", ")}: a court may ask where and how this was collected.
        </Text>
      )}
    </Box>
  );
}

/** One line on what an item's own event recorded, or null when its headline says it all. */
function itemEventDetail(type: string, p: Record<string, unknown>): string | null {
  if (type === "metadata.extracted") {
    const w = warningsInWords(Array.isArray(p.warnings) ? (p.warnings as { code: string }[]) : []);
    return `read as ${String(p.mime)}; ${w.count === 0 ? "no warnings" : `${w.countWords.toLowerCase()}: ${w.summary}`}`;
  }
  if (type === "warning.acknowledged") return `${warningTitle(String(p.code))}: ${String(p.remark ?? "")}`;
  if (type === "derivative.created" && p.role === "map-snapshot") {
    return snapshotResampling(p.params).map(resamplingWords).join(" ") || null;
  }
  if (type === "note.added") {
    const text = String(p.text ?? "");
    return text.length > 160 ? `${text.slice(0, 160)}…` : text;
  }
  return null;
}

/** One event of the timeline: what happened in words first; its type code, number and time second. */
function TimelineEvent({ entry: { event, actorName } }: { entry: TimelineEntry }) {
  const p = event.payload;
  const detail = describeGeoEvent(event.type, p, () => "this item") ?? itemEventDetail(event.type, p);
  const extra =
    event.type === "status.changed"
      ? `Reason: ${String(p.reason)}`
      : event.type === "derivative.created"
        ? String(p.role)
        : event.type === "item.imported"
          ? `from ${String((p.source as { path: string }).path)}`
          : null;
  return (
    <Box p={6} style={{ borderLeft: "2px solid var(--mantine-color-teal-7)" }}>
      <Group gap={6} justify="space-between" wrap="nowrap" align="flex-start">
        <Tooltip label={`Event type: ${event.type}`} openDelay={300}>
          <Text size="xs" fw={600} data-code={event.type}>
            {inertText(eventHeadline(event.type, p))}
          </Text>
        </Tooltip>
        <Text size="xs" c="dimmed" className="mono" ta="right" style={{ flexShrink: 0 }}>
          {formatTime(event.ts)}
        </Text>
      </Group>
      {detail !== null && <Text size="xs">{inertText(detail)}</Text>}
      <Text size="xs" c="dimmed">
        by {inertText(actorName)}
        {extra !== null && ` · ${inertText(extra)}`}
        {" · "}
        <span className="mono">
          {event.type} #{event.seq}
        </span>
      </Text>
    </Box>
  );
}

export function CustodyPanel({ item, timeline }: { item: ItemDetail; timeline: TimelineEntry[] }) {
  return (
    <Stack gap="sm">
      <Table withRowBorders={false} verticalSpacing={2}>
        <Table.Tbody>
          {(
            [
              ["SHA-256", item.sha256],
              ["MD5", item.md5],
              ["SHA-1", item.sha1],
            ] as const
          )
            .filter(([, v]) => v)
            .map(([label, v]) => (
              <Field key={label} label={label}>
                <Group gap={4} wrap="nowrap">
                  <Text size="xs" className="mono" style={{ wordBreak: "break-all" }}>
                    {v}
                  </Text>
                  <CopyButton value={v!}>
                    {({ copied, copy }) => (
                      <Button
                        size="compact-xs"
                        variant="subtle"
                        onClick={copy}
                        aria-label={`Copy ${label}`}
                        style={{ flexShrink: 0 }}
                      >
                        {copied ? "Copied" : "Copy"}
                      </Button>
                    )}
                  </CopyButton>
                </Group>
              </Field>
            ))}
          <Field label="Size">{item.size.toLocaleString()} bytes</Field>
          <Field label="Acquisitions">{item.acquisitions.length}</Field>
        </Table.Tbody>
      </Table>
      <Title order={3} size="h6">
        Acquisitions
      </Title>
      <Stack gap={6} role="group" aria-label="Acquisitions">
        {item.acquisitions.map((a) => (
          <AcquisitionCard key={a.seq} acquisition={a} />
        ))}
      </Stack>
      <Title order={3} size="h6">
        Timeline, newest first
      </Title>
      <Stack gap={6} role="group" aria-label="Custody timeline">
        {timeline.map((entry) => (
          <TimelineEvent key={entry.event.seq} entry={entry} />
        ))}
      </Stack>
    </Stack>
  );
}
