/**
 * The case's ledger: every event in order, filterable by type and text, each one opened in full
 * beside the table, and verification of the whole case with its findings grouped by item.
 */
import { Box, Button, Group, Progress, Select, Stack, Text, TextInput } from "@mantine/core";
import { useCallback, useEffect, useMemo, useState } from "react";
import {
  emptyProgress,
  type ImportProgressInfo,
  type JobInfo,
  type TimelineEntry,
  type VerifyResult,
} from "../../../../shared/api/contract.js";
import { inertText } from "../../../../shared/text/inertText.js";
import { formatBytes } from "../../../../shared/text/units.js";
import type { Connection } from "../../connection.js";
import { eventTitle } from "../../../../shared/text/plainWords.js";
import { EventDetail } from "./EventDetail.js";
import { describe } from "./eventLine.js";
import { LedgerTable } from "./LedgerTable.js";
import { TimestampPanel } from "./TimestampPanel.js";
import { VerificationFindings } from "./VerificationFindings.js";

export function LedgerView({
  connection,
  dir,
  onOpenItem,
}: {
  connection: Connection;
  dir: string;
  /** Opens an item's page (from a verification finding). */
  onOpenItem?: (sha256: string) => void;
}) {
  const { api } = connection.client;
  const [entries, setEntries] = useState<TimelineEntry[]>([]);
  const [type, setType] = useState<string | null>(null);
  const [search, setSearch] = useState("");
  const [verifying, setVerifying] = useState<{ jobId: string; progress: ImportProgressInfo } | null>(null);
  const [result, setResult] = useState<VerifyResult | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [openSeq, setOpenSeq] = useState<number | null>(null);
  // Counts each request to open an event, so opening the one already open takes the keyboard to it again.
  const [openCount, setOpenCount] = useState(0);
  const openEvent = useCallback((seq: number) => {
    setOpenSeq(seq);
    setOpenCount((n) => n + 1);
  }, []);

  /** Shows a finished verify job's outcome, once, if it is the one this view started. */
  const finish = useCallback((job: JobInfo) => {
    setVerifying((v) => {
      if (!v || v.jobId !== job.jobId) return v;
      if (job.verify) setResult(job.verify);
      if (job.status === "cancelled") setError("Verification was cancelled; nothing was recorded.");
      else if (!job.verify) setError(job.error ?? "verification failed");
      else if (job.warnings.length) setError(job.warnings.join("; "));
      return null;
    });
  }, []);

  const load = useCallback(async () => {
    const r = await api.ledgerEvents({ dir });
    if (r.ok) setEntries(r.value);
    else setError(r.error.message);
  }, [api, dir]);
  useEffect(() => {
    void load();
    return connection.client.onEvent((e) => {
      if (e.type === "ledger.appended" && e.dir === dir) void load();
      if (e.type === "job.progress") {
        setVerifying((v) => (v && v.jobId === e.jobId ? { ...v, progress: e.progress } : v));
      }
      if (e.type === "job.finished" && e.job.kind === "verify" && e.job.dir === dir) finish(e.job);
    });
  }, [connection, dir, load, finish]);

  const names = useMemo(() => {
    const m = new Map<string, string>();
    for (const { event } of entries) {
      const p = event.payload as { sha256?: string; source?: { originalName?: string } };
      if (event.type === "item.imported" && p.sha256 && !m.has(p.sha256)) m.set(p.sha256, p.source?.originalName ?? "");
    }
    return m;
  }, [entries]);
  const types = useMemo(() => [...new Set(entries.map((e) => e.event.type))].sort(), [entries]);
  const shown = useMemo(() => {
    const needle = search.trim().toLowerCase();
    return entries.filter(
      (e) =>
        (type === null || e.event.type === type) &&
        (needle === "" ||
          `${e.event.type} ${eventTitle(e.event.type, e.event.payload)} ${describe(e, names)} ${e.actorName} ${e.event.hash}`
            .toLowerCase()
            .includes(needle)),
    );
  }, [entries, type, search, names]);

  const verify = async () => {
    setResult(null);
    setError(null);
    const r = await api.startVerify({ dir });
    if (!r.ok) return setError(r.error.message);
    setVerifying({ jobId: r.value.jobId, progress: emptyProgress("verifying") });
    // A small case can finish before this view knew the job's id: ask once.
    const now = await api.getJob({ jobId: r.value.jobId });
    if (now.ok && now.value.status !== "running") finish(now.value);
  };

  const opened = openSeq === null ? undefined : entries.find((e) => e.event.seq === openSeq);
  /** Closing an event puts the keyboard back on its row's button, where the reader was. */
  const closeEvent = () => {
    const seq = openSeq;
    setOpenSeq(null);
    requestAnimationFrame(() => document.querySelector<HTMLElement>(`.ledger-open[aria-label^="${seq}: "]`)?.focus());
  };

  return (
    <Stack gap={0} h="calc(100vh - 48px)" aria-label="Ledger">
      <Box px="md" py="sm" style={{ borderBottom: "1px solid var(--mantine-color-default-border)" }}>
        <Group justify="space-between">
          <Group gap="sm">
            <Select
              aria-label="Event type"
              placeholder="All event types"
              clearable
              data={types.map((t) => ({ value: t, label: `${eventTitle(t, {})} · ${t}` }))}
              value={type}
              onChange={setType}
              w={220}
            />
            <TextInput
              aria-label="Search the ledger"
              placeholder="Search"
              value={search}
              onChange={(e) => setSearch(e.currentTarget.value)}
              w={260}
            />
            <Text size="sm" c="dimmed">
              {shown.length} of {entries.length} events
            </Text>
          </Group>
          {verifying ? (
            <Button color="red" variant="light" onClick={() => void api.cancelJob({ jobId: verifying.jobId })}>
              Cancel verification
            </Button>
          ) : (
            <Button onClick={() => void verify()}>Verify case</Button>
          )}
        </Group>
        {verifying && (
          <Box mt="sm" aria-label="Verification progress">
            <Text size="sm" mb={4} role="status">
              Verifying: {verifying.progress.filesDone} of {verifying.progress.filesTotal} originals re-hashed,{" "}
              {formatBytes(verifying.progress.bytesDone)} of {formatBytes(verifying.progress.bytesTotal)}
            </Text>
            <Progress
              aria-label="Verification"
              value={
                verifying.progress.bytesTotal > 0
                  ? (100 * verifying.progress.bytesDone) / verifying.progress.bytesTotal
                  : 0
              }
            />
          </Box>
        )}
        {error && (
          <Text c="red" size="sm" mt="xs" role="alert">
            {inertText(error)}
          </Text>
        )}
        <TimestampPanel connection={connection} dir={dir} />
        <VerificationFindings result={result} names={names} {...(onOpenItem ? { onOpenItem } : {})} />
      </Box>
      <Group gap={0} align="stretch" wrap="nowrap" style={{ flex: 1, minHeight: 0 }}>
        <LedgerTable shown={shown} names={names} openSeq={openSeq} onOpen={openEvent} />
        {opened && (
          <EventDetail entry={opened} summary={describe(opened, names)} focusKey={openCount} onClose={closeEvent} />
        )}
      </Group>
    </Stack>
  );
}
