/**
 * One ledger event in full, as signed: every field of the envelope (number, id, time, signer,
 * type, previous hash, hash, signature) and the whole payload pretty-printed, with buttons that
 * copy the event as JSON and its hash. Everything from the ledger is shown inert: a case folder
 * is hostile input, and a payload can carry markup or direction-changing characters.
 */
import { ActionIcon, Box, Button, CopyButton, Group, ScrollArea, Stack, Text, Title, Tooltip } from "@mantine/core";
import { useEffect, useRef } from "react";
import type { TimelineEntry } from "../../../../shared/api/contract.js";
import { inertText } from "../../../../shared/text/inertText.js";
import { eventHeadline } from "../../../../shared/text/plainWords.js";
import { formatTime } from "../../../../shared/text/times.js";
import { EVENT_DETAIL_ID } from "./LedgerTable.js";

function Copy({ value, what }: { value: string; what: string }) {
  return (
    <CopyButton value={value} timeout={2000}>
      {({ copied, copy }) => (
        <Button size="compact-xs" variant="default" onClick={copy} aria-label={`Copy ${what}`}>
          {copied ? "Copied" : "Copy"}
        </Button>
      )}
    </CopyButton>
  );
}

/**
 * JSON pretty-printed, its layout's line breaks kept and anything else invisible shown as an escape
 * (JSON already escapes control characters inside strings, not direction overrides).
 */
function prettyInert(value: unknown): string {
  return JSON.stringify(value, null, 2).split("\n").map(inertText).join("\n");
}

export function EventDetail({
  entry,
  summary,
  focusKey,
  onClose,
}: {
  entry: TimelineEntry;
  /** The event's line in words, as the table shows it. */
  summary: string;
  /** Changes each time the event is asked for, even if already open: the heading takes the focus again. */
  focusKey: number;
  onClose: () => void;
}) {
  const e = entry.event;
  const heading = useRef<HTMLHeadingElement>(null);
  // Opening an event takes the reader to it; Escape (below) brings them back to its row.
  useEffect(() => heading.current?.focus(), [e.seq, focusKey]);
  const asJson = JSON.stringify(e, null, 2);
  const fields: [string, string, boolean][] = [
    ["Number", String(e.seq), false],
    ["Event id", e.id, true],
    ["Recorded", `${formatTime(e.ts, { fraction: true })} (${e.ts})`, false],
    ["Type", `${eventHeadline(e.type, e.payload)} (${e.type})`, false],
    ["Signed by", `${entry.actorName}, key ${e.actor}`, false],
    ["Previous event's hash", e.prev ?? "none (the first event)", true],
    ["Hash", e.hash, true],
    ["Signature", e.sig, true],
  ];
  return (
    <Box
      id={EVENT_DETAIL_ID}
      component="section"
      aria-labelledby="ledger-event-title"
      className="ledger-detail"
      onKeyDown={(k) => {
        if (k.key !== "Escape") return;
        k.stopPropagation();
        onClose();
      }}
    >
      <Group justify="space-between" wrap="nowrap" px="md" py="xs" className="ledger-detail-head">
        <Title order={2} size="h5" id="ledger-event-title" ref={heading} tabIndex={-1} style={{ minWidth: 0 }}>
          Event {e.seq}: {inertText(eventHeadline(e.type, e.payload))}
        </Title>
        <Group gap={6} wrap="nowrap">
          <CopyButton value={asJson} timeout={2000}>
            {({ copied, copy }) => (
              <Button size="xs" variant="light" onClick={copy}>
                {copied ? "Copied the event" : "Copy the event (JSON)"}
              </Button>
            )}
          </CopyButton>
          <Tooltip label="Close (Esc)">
            <ActionIcon variant="subtle" color="gray" aria-label="Close the event" onClick={onClose}>
              ✕
            </ActionIcon>
          </Tooltip>
        </Group>
      </Group>
      <ScrollArea className="ledger-detail-body" px="md" pb="md">
        <Stack gap="sm" pt="xs">
          <Text size="sm">{inertText(summary)}</Text>
          <dl className="ledger-fields">
            {fields.map(([label, value, canCopy]) => (
              <div key={label}>
                <dt>{label}</dt>
                <dd>
                  <span className="mono">{inertText(value)}</span>
                  {canCopy && <Copy value={value} what={label.toLowerCase()} />}
                </dd>
              </div>
            ))}
          </dl>
          <div>
            <Text size="sm" fw={600} id="ledger-payload-label">
              Payload
            </Text>
            <pre className="ledger-payload mono" aria-labelledby="ledger-payload-label" tabIndex={0}>
              {prettyInert(e.payload)}
            </pre>
          </div>
          <Text size="xs" c="dimmed">
            The hash is SHA-256 over the event&apos;s canonical JSON (RFC 8785) without its hash and signature; the
            signature is Ed25519 over the hash, by the signer&apos;s key. docs/LEDGER.md describes every field.
          </Text>
        </Stack>
      </ScrollArea>
    </Box>
  );
}
