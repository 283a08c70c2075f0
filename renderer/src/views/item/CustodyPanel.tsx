/** An item's custody: its hashes, every acquisition of its bytes, and its ledger events newest first. */
import { Box, Button, CopyButton, Group, Stack, Table, Text, Title } from "@mantine/core";
import type { ItemDetail, TimelineEntry } from "../../../../shared/api/contract.js";
import { inertText } from "../../../../shared/text/inertText.js";
import { describeGeoEvent, eventTitle } from "../geolocate/geoEventText.js";
import { Field } from "./Field.js";

/** One acquisition of the bytes: where from, when, by whom, and the collection record as given. */
function AcquisitionCard({ acquisition: a }: { acquisition: ItemDetail["acquisitions"][number] }) {
  const c = a.collection;
  const source = a.source as typeof a.source & { channel?: string };
  const rows: [string, string | null][] = [
    ["Acquired", `${a.acquisition.acquiredAt.replace("T", " ").slice(0, 19)}Z by ${c.collectedBy.name}`],
    [
      "From",
      source.channel === "upload"
        ? `${source.path} (sent by the workbench page; its folder on disk is not known)`
        : source.path,
    ],
    ["Modified", source.fileTimes.modified],
    ["Source", [c.sourceUrl, c.sourceAccount].filter(Boolean).join(" · ") || null],
    ["Collected at", c.collectedAt],
    ["Method", c.method],
    ...(c.note ? [["Note", c.note] as [string, string]] : []),
    ["Machine", `${a.acquisition.host} · ${a.acquisition.user} · ${a.acquisition.platform}`],
  ];
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
          {value === null ? (
            <Text span c="orange" size="xs">
              not recorded
            </Text>
          ) : (
            inertText(value)
          )}
        </Text>
      ))}
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
      <Stack gap={6} aria-label="Acquisitions">
        {item.acquisitions.map((a) => (
          <AcquisitionCard key={a.seq} acquisition={a} />
        ))}
      </Stack>
      <Title order={3} size="h6">
        Timeline, newest first
      </Title>
      <Stack gap={6} aria-label="Custody timeline">
        {timeline.map(({ event, actorName }) => {
          const detail = describeGeoEvent(event.type, event.payload, () => "this item");
          return (
            <Box key={event.seq} p={6} style={{ borderLeft: "2px solid var(--mantine-color-teal-7)" }}>
              <Group gap={6} justify="space-between" wrap="nowrap">
                <Text size="xs" fw={600}>
                  {eventTitle(event.type, event.payload)}
                </Text>
                <Text size="xs" c="dimmed" className="mono">
                  {event.type} · #{event.seq} · {event.ts.replace("T", " ").slice(0, 19)}Z
                </Text>
              </Group>
              {detail !== null && <Text size="xs">{inertText(detail)}</Text>}
              <Text size="xs" c="dimmed">
                by {inertText(actorName)}
                {event.type === "status.changed" &&
                  ` · ${String(event.payload.from)} → ${String(event.payload.to)}: ${inertText(String(event.payload.reason))}`}
                {event.type === "derivative.created" && ` · ${String(event.payload.role)}`}
                {event.type === "item.imported" &&
                  ` · from ${inertText(String((event.payload.source as { path: string }).path))}`}
              </Text>
            </Box>
          );
        })}
      </Stack>
    </Stack>
  );
}
