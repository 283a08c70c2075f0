/**
 * The case's ledger: every event in order, filterable by type and text, and
 * verification of the whole case with its findings grouped by item.
 */
import { Alert, Badge, Box, Button, Group, Progress, Select, Stack, Text, TextInput } from "@mantine/core";
import { useVirtualizer } from "@tanstack/react-virtual";
import { useCallback, useEffect, useMemo, useRef, useState } from "react";
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
import { describeGeoEvent, eventTitle } from "../geolocate/geoEventText.js";
import { TimestampPanel } from "./TimestampPanel.js";

/** One line saying what an event did, from fields every version writes; the code stays in the badge's title and the filter. */
function describe(entry: TimelineEntry, names: Map<string, string>): string {
  const p = entry.event.payload as Record<string, any>;
  const name = (sha: unknown) => (typeof sha === "string" ? (names.get(sha) ?? `${sha.slice(0, 12)}…`) : "?");
  switch (entry.event.type) {
    case "case.created":
      return `case "${p.title}" created`;
    case "examiner.added":
      return `examiner ${p.examiner?.name} added`;
    case "item.imported":
      return `${p.isNewObject ? "imported" : "acquired again"} ${p.source?.originalName} (${p.size} bytes)`;
    case "metadata.extracted":
      return `metadata of ${name(p.sha256)}: ${p.kind}${p.warnings?.length ? `, ${p.warnings.length} warning(s)` : ""}`;
    case "derivative.created":
      return p.role === "map-snapshot"
        ? `map snapshot of ${name(p.parent)}, ${p.width}×${p.height} pixels`
        : `${p.role} of ${name(p.parent)}`;
    case "note.added":
      return `note on ${name(p.sha256)}`;
    case "tags.changed":
      return `tags of ${name(p.sha256)}: +${(p.added ?? []).join(" +")} -${(p.removed ?? []).join(" -")}`;
    case "status.changed":
      return `${name(p.sha256)}: ${p.from} → ${p.to}, "${p.reason}"`;
    case "verification.run":
      return `case verified up to event ${p.head?.seq ?? "?"}: ${p.isClean ? "clean" : `${p.problemCount} problem(s)`}, ${p.objectsChecked} originals and ${p.derivativesChecked} derivatives re-hashed`;
    case "timestamp.recorded":
      return `head ${p.head?.seq} timestamped at ${p.genTime} by ${p.tsaName} (RFC 3161 token ${p.token?.path})`;
    case "timestamp.requested":
      return `timestamp of head ${p.head?.seq} asked of ${p.tsaUrl}, queued: ${p.reason}`;
    default:
      return describeGeoEvent(entry.event.type, p, name) ?? "";
  }
}

export function LedgerView({ connection, dir }: { connection: Connection; dir: string }) {
  const { api } = connection.client;
  const [entries, setEntries] = useState<TimelineEntry[]>([]);
  const [type, setType] = useState<string | null>(null);
  const [search, setSearch] = useState("");
  const [verifying, setVerifying] = useState<{ jobId: string; progress: ImportProgressInfo } | null>(null);
  const [result, setResult] = useState<VerifyResult | null>(null);
  const [error, setError] = useState<string | null>(null);

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

  const parent = useRef<HTMLDivElement>(null);
  const virtualizer = useVirtualizer({
    count: shown.length,
    getScrollElement: () => parent.current,
    estimateSize: () => 28,
    overscan: 20,
  });

  const byItem = useMemo(() => {
    const groups = new Map<string, VerifyResult["problems"]>();
    for (const p of result?.problems ?? []) {
      const key = p.item ? (names.get(p.item) ?? p.item) : "the ledger and case.json";
      groups.set(key, [...(groups.get(key) ?? []), p]);
    }
    return [...groups];
  }, [result, names]);

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
        <section aria-label="Verification result">
          {result && result.isClean && (
            <Alert color="teal" mt="sm" title="Clean" role="status">
              {result.objectsChecked} originals and {result.derivativesChecked} derivatives re-hashed; every one of{" "}
              {result.eventCount} events matches its hash, chain and signature. Head {result.head?.seq}{" "}
              <span className="mono">{result.head?.hash}</span>.
            </Alert>
          )}
          {result && !result.isClean && (
            <Alert color="red" mt="sm" title={`${result.problems.length} problem(s) found`} role="status">
              <Stack gap={4}>
                {byItem.map(([where, problems]) => (
                  <div key={where}>
                    <Text size="sm" fw={600}>
                      {inertText(where)}
                    </Text>
                    {problems.map((p, i) => (
                      <Text key={i} size="xs" className="mono">
                        {p.code} {p.line !== undefined ? `ledger.jsonl:${p.line}` : inertText(p.file ?? "")} —{" "}
                        {inertText(p.message)}
                      </Text>
                    ))}
                  </div>
                ))}
              </Stack>
            </Alert>
          )}
        </section>
      </Box>
      <div ref={parent} style={{ flex: 1, overflow: "auto" }} role="table" aria-label="Ledger events">
        <div role="rowgroup" style={{ height: virtualizer.getTotalSize(), position: "relative" }}>
          {virtualizer.getVirtualItems().map((vr) => {
            const entry = shown[vr.index]!;
            const e = entry.event;
            return (
              <div
                key={e.seq}
                role="row"
                style={{
                  position: "absolute",
                  top: 0,
                  left: 0,
                  right: 0,
                  height: 28,
                  transform: `translateY(${vr.start}px)`,
                  display: "grid",
                  gridTemplateColumns: "60px 170px 170px 150px 1fr 130px",
                  alignItems: "center",
                  gap: 8,
                  padding: "0 12px",
                  borderBottom: "1px solid var(--mantine-color-default-border)",
                }}
              >
                <Text role="cell" size="xs" className="mono" c="dimmed">
                  {e.seq}
                </Text>
                <Text role="cell" size="xs" className="mono">
                  {e.ts.replace("T", " ").slice(0, 19)}Z
                </Text>
                <div role="cell">
                  <Badge size="sm" variant="light" radius="sm" title={e.type} style={{ textTransform: "none" }}>
                    {eventTitle(e.type, e.payload)}
                  </Badge>
                </div>
                <Text role="cell" size="xs" truncate>
                  {inertText(entry.actorName)}
                </Text>
                <Text role="cell" size="xs" truncate>
                  {inertText(describe(entry, names))}
                </Text>
                <Text role="cell" size="xs" className="mono" c="dimmed" title={e.hash}>
                  {e.hash.slice(0, 16)}
                </Text>
              </div>
            );
          })}
        </div>
      </div>
    </Stack>
  );
}
