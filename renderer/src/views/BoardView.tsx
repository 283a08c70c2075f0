/**
 * The evidence board: every item of the case as a thumbnail grid or a table,
 * filtered and searched in the Dexie projection, virtualised so that tens of
 * thousands of items scroll smoothly. Imports run as jobs with live progress.
 */
import {
  ActionIcon,
  Badge,
  Box,
  Button,
  Card,
  Chip,
  Group,
  Progress,
  SegmentedControl,
  Select,
  Stack,
  Switch,
  Text,
  TextInput,
  Tooltip,
} from "@mantine/core";
import { useVirtualizer } from "@tanstack/react-virtual";
import { useLiveQuery } from "dexie-react-hooks";
import { useEffect, useMemo, useRef, useState } from "react";
import type { CaseSummary, ImportProgressInfo, JobInfo } from "../../../shared/api/contract.js";
import { ITEM_STATUSES } from "../../../shared/ledger/events.js";
import { inertText } from "../../../shared/text/inertText.js";
import { Thumbnail } from "../components/Thumbnail.js";
import type { Connection } from "../connection.js";
import { CaseProjection, syncProjection, type ItemRow } from "../db/projection.js";
import { ItemView } from "./ItemView.js";

type KindFilter = "all" | "image" | "video" | "other";
type SortKey = "name" | "kind" | "capturedAt" | "gps" | "sha256" | "size";

const TILE = 196;
const TILE_HEIGHT = 212;

function formatBytes(n: number): string {
  const units = ["B", "KB", "MB", "GB", "TB"];
  let i = 0;
  while (n >= 1024 && i < units.length - 1) {
    n /= 1024;
    i++;
  }
  return `${n.toFixed(i === 0 ? 0 : 1)} ${units[i]}`;
}

/** Filters the projection's rows; kept pure so its cost can be measured in the browser. */
export interface BoardFilter {
  search: string;
  kind: KindFilter;
  gpsOnly: boolean;
  warningsOnly: boolean;
  status: string | null;
  tag: string | null;
}

export function filterItems(items: ItemRow[], f: BoardFilter): ItemRow[] {
  const needle = f.search.trim().toLowerCase();
  return items.filter(
    (i) =>
      (f.kind === "all" || (f.kind === "other" ? i.kind !== "image" && i.kind !== "video" : i.kind === f.kind)) &&
      (f.status === null || i.status === f.status) &&
      (f.tag === null || i.tags.includes(f.tag)) &&
      (!f.gpsOnly || i.gps === 1) &&
      (!f.warningsOnly || i.hasWarnings === 1) &&
      (needle === "" || i.searchText.includes(needle)),
  );
}

export function BoardView({
  connection,
  summary,
  onSummary,
}: {
  connection: Connection;
  summary: CaseSummary;
  onSummary: (s: CaseSummary) => void;
}) {
  const { client } = connection;
  const dir = summary.dir;
  const db = useMemo(() => new CaseProjection(summary.id), [summary.id]);
  const [syncError, setSyncError] = useState<string | null>(null);
  const [search, setSearch] = useState("");
  const [kind, setKind] = useState<KindFilter>("all");
  const [gpsOnly, setGpsOnly] = useState(false);
  const [warningsOnly, setWarningsOnly] = useState(false);
  const [status, setStatus] = useState<string | null>(null);
  const [tag, setTag] = useState<string | null>(null);
  const [layout, setLayout] = useState<"grid" | "table">("grid");
  const [sort, setSort] = useState<{ key: SortKey; asc: boolean }>({ key: "name", asc: true });
  const [revealAll, setRevealAll] = useState(false);
  const [revealed, setRevealed] = useState<Set<string>>(new Set());
  const [importPath, setImportPath] = useState("");
  const [job, setJob] = useState<{ id: string; progress: ImportProgressInfo; started: number } | null>(null);
  const [lastJob, setLastJob] = useState<JobInfo | null>(null);
  const [openSha, setOpenSha] = useState<string | null>(null);

  // Keep the projection at the ledger head: now, and whenever the ledger moves.
  useEffect(() => {
    let alive = true;
    const refresh = async () => {
      const opened = await client.api.openCase({ dir });
      if (!opened.ok) return setSyncError(opened.error.message);
      if (!alive) return;
      onSummary(opened.value);
      await syncProjection(db, client, dir, opened.value.head).catch((e: Error) => setSyncError(e.message));
    };
    void refresh();
    const stop = client.onEvent((event) => {
      if (event.type === "ledger.appended" && event.dir === dir) void refresh();
      if (event.type === "job.progress") {
        setJob((j) => (j && j.id === event.jobId ? { ...j, progress: event.progress } : j));
      }
      if (event.type === "job.finished" && event.job.dir === dir) {
        setJob(null);
        setLastJob(event.job);
        void refresh();
      }
    });
    return () => {
      alive = false;
      stop();
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [db, dir]);

  const live = useLiveQuery(() => db.items.toArray(), [db]);
  const items = useMemo(() => live ?? [], [live]);
  const filtered = useMemo(() => {
    const rows = filterItems(items, { search, kind, gpsOnly, warningsOnly, status, tag });
    const dirn = sort.asc ? 1 : -1;
    const value = (r: ItemRow) =>
      sort.key === "gps" ? r.gps : sort.key === "size" ? r.size : String(r[sort.key] ?? "");
    return rows.sort((a, b) => (value(a) < value(b) ? -dirn : value(a) > value(b) ? dirn : 0));
  }, [items, search, kind, gpsOnly, warningsOnly, status, tag, sort]);
  const allTags = useMemo(() => [...new Set(items.flatMap((i) => i.tags))].sort(), [items]);

  const startImport = async () => {
    const result = await client.api.importFiles({ dir, paths: [importPath], collection: {} });
    if (!result.ok) return setSyncError(result.error.message);
    setJob({
      id: result.value.jobId,
      started: Date.now(),
      progress: {
        phase: "scanning",
        filesTotal: 0,
        bytesTotal: 0,
        filesDone: 0,
        bytesDone: 0,
        currentFile: null,
        analysing: 0,
      },
    });
  };

  // j / k: next and previous item in the board's order; Escape: back to the board.
  useEffect(() => {
    if (!openSha) return;
    const onKey = (e: KeyboardEvent) => {
      if ((e.target as HTMLElement).closest("input, textarea, select, [contenteditable]")) return;
      const at = filtered.findIndex((r) => r.sha256 === openSha);
      if (e.key === "Escape") setOpenSha(null);
      else if (e.key === "j" && at >= 0 && at < filtered.length - 1) setOpenSha(filtered[at + 1]!.sha256);
      else if (e.key === "k" && at > 0) setOpenSha(filtered[at - 1]!.sha256);
    };
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  }, [openSha, filtered]);

  const isRevealed = (sha: string) => revealAll || revealed.has(sha);
  const toggleReveal = (sha: string) =>
    setRevealed((s) => {
      const next = new Set(s);
      if (next.has(sha)) next.delete(sha);
      else next.add(sha);
      return next;
    });

  if (openSha) {
    return (
      <Box h="calc(100vh - 48px)">
        <ItemView
          connection={connection}
          dir={dir}
          sha256={openSha}
          onOpenItem={setOpenSha}
          onClose={() => setOpenSha(null)}
          defaultRevealed={isRevealed(openSha)}
        />
      </Box>
    );
  }

  return (
    <Stack gap={0} h="calc(100vh - 48px)">
      <Box px="md" py="sm" style={{ borderBottom: "1px solid var(--mantine-color-default-border)" }}>
        <Group justify="space-between" wrap="wrap" gap="sm">
          <Group gap="sm" wrap="wrap">
            <TextInput
              placeholder="Search names, tags, warnings"
              aria-label="Search"
              value={search}
              onChange={(e) => setSearch(e.currentTarget.value)}
              w={220}
            />
            <SegmentedControl
              aria-label="Kind"
              value={kind}
              onChange={(v) => setKind(v as KindFilter)}
              data={[
                { label: "All", value: "all" },
                { label: "Images", value: "image" },
                { label: "Videos", value: "video" },
                { label: "Other", value: "other" },
              ]}
            />
            <Chip checked={gpsOnly} onChange={setGpsOnly} variant="light">
              Has GPS
            </Chip>
            <Chip checked={warningsOnly} onChange={setWarningsOnly} variant="light" color="orange">
              Has warnings
            </Chip>
            <Select
              aria-label="Status"
              placeholder="Any status"
              clearable
              w={140}
              value={status}
              onChange={setStatus}
              data={[...ITEM_STATUSES]}
            />
            <Select
              aria-label="Tag"
              placeholder="Any tag"
              clearable
              searchable
              w={130}
              value={tag}
              onChange={setTag}
              data={allTags}
            />
          </Group>
          <Group gap="sm" wrap="nowrap">
            <Text size="sm" c="dimmed" aria-label="Item count" aria-live="polite" style={{ whiteSpace: "nowrap" }}>
              {filtered.length} of {items.length} items
            </Text>
            <Switch label="Reveal media" checked={revealAll} onChange={(e) => setRevealAll(e.currentTarget.checked)} />
            <SegmentedControl
              aria-label="Layout"
              value={layout}
              onChange={(v) => setLayout(v as "grid" | "table")}
              data={[
                { label: "Grid", value: "grid" },
                { label: "Table", value: "table" },
              ]}
            />
          </Group>
        </Group>
        <Group mt="sm" gap="sm" wrap="nowrap" align="flex-end">
          <TextInput
            aria-label="Files or folder to import"
            placeholder="/path/to/files-or-folder"
            classNames={{ input: "mono" }}
            value={importPath}
            onChange={(e) => setImportPath(e.currentTarget.value)}
            style={{ flex: 1 }}
          />
          <Button onClick={() => void startImport()} disabled={!importPath || !!job}>
            Import
          </Button>
        </Group>
        {job && <ImportProgress job={job} onCancel={() => void client.api.cancelJob({ jobId: job.id })} />}
        {lastJob && !job && (
          <Text size="sm" mt="xs" c={lastJob.status === "finished" ? "teal" : "orange"} role="status">
            Import {lastJob.status}: {lastJob.outcomes.filter((o) => o.status === "imported").length} imported,{" "}
            {lastJob.outcomes.filter((o) => o.status === "duplicate").length} already in the case,{" "}
            {lastJob.outcomes.filter((o) => o.status === "refused" || o.status === "failed").length} not imported
          </Text>
        )}
        {syncError && (
          <Text size="sm" c="red" mt="xs" role="alert">
            {inertText(syncError)}
          </Text>
        )}
      </Box>
      {layout === "grid" ? (
        <ItemGrid
          rows={filtered}
          connection={connection}
          dir={dir}
          isRevealed={isRevealed}
          onToggle={toggleReveal}
          onOpen={setOpenSha}
        />
      ) : (
        <ItemTable rows={filtered} sort={sort} onSort={setSort} onOpen={setOpenSha} />
      )}
    </Stack>
  );
}

function ImportProgress({
  job,
  onCancel,
}: {
  job: { progress: ImportProgressInfo; started: number };
  onCancel: () => void;
}) {
  const p = job.progress;
  const seconds = (Date.now() - job.started) / 1000;
  const rate = seconds > 0 ? p.bytesDone / seconds : 0;
  const left = rate > 0 ? (p.bytesTotal - p.bytesDone) / rate : null;
  const pct = p.bytesTotal > 0 ? (100 * p.bytesDone) / p.bytesTotal : 0;
  return (
    <Card withBorder mt="sm" padding="sm" aria-label="Import progress">
      <Group justify="space-between" mb={6} wrap="nowrap">
        <Text size="sm">
          {p.phase === "analysing"
            ? `Analysing: metadata, thumbnails and keyframes, ${p.analysing} item(s) left`
            : `${p.phase} ${p.filesDone} of ${p.filesTotal} files, ${formatBytes(p.bytesDone)} of ${formatBytes(p.bytesTotal)}`}
          {p.phase !== "analysing" && rate > 0 && ` · ${formatBytes(rate)}/s`}
          {p.phase !== "analysing" && left !== null && ` · ${Math.ceil(left)} s left`}
        </Text>
        <Button size="xs" variant="light" color="red" onClick={onCancel}>
          Cancel
        </Button>
      </Group>
      <Progress value={p.phase === "analysing" ? 100 : pct} animated={p.phase === "analysing"} aria-label="Import" />
      {p.currentFile && (
        <Text size="xs" c="dimmed" mt={4} className="mono" truncate>
          {inertText(p.currentFile)}
        </Text>
      )}
    </Card>
  );
}

function ItemGrid({
  rows,
  connection,
  dir,
  isRevealed,
  onToggle,
  onOpen,
}: {
  rows: ItemRow[];
  connection: Connection;
  dir: string;
  isRevealed: (sha: string) => boolean;
  onToggle: (sha: string) => void;
  onOpen: (sha: string) => void;
}) {
  const parent = useRef<HTMLDivElement>(null);
  const [width, setWidth] = useState(1200);
  useEffect(() => {
    const el = parent.current;
    if (!el) return;
    const observer = new ResizeObserver(() => setWidth(el.clientWidth));
    observer.observe(el);
    return () => observer.disconnect();
  }, []);
  const columns = Math.max(1, Math.floor((width - 16) / TILE));
  const rowCount = Math.ceil(rows.length / columns);
  const virtualizer = useVirtualizer({
    count: rowCount,
    getScrollElement: () => parent.current,
    estimateSize: () => TILE_HEIGHT,
    overscan: 4,
  });
  return (
    <div ref={parent} style={{ flex: 1, overflow: "auto", padding: 8 }} role="grid" aria-label="Items">
      {rows.length === 0 && (
        <Text c="dimmed" ta="center" mt="xl">
          No items match. Import files or folders above.
        </Text>
      )}
      <div style={{ height: virtualizer.getTotalSize(), position: "relative" }}>
        {virtualizer.getVirtualItems().map((vr) => (
          <div
            key={vr.key}
            role="row"
            style={{
              position: "absolute",
              top: 0,
              left: 0,
              right: 0,
              transform: `translateY(${vr.start}px)`,
              display: "flex",
              gap: 8,
            }}
          >
            {rows.slice(vr.index * columns, vr.index * columns + columns).map((item) => (
              <Card
                key={item.sha256}
                withBorder
                padding={0}
                w={TILE - 8}
                h={TILE_HEIGHT - 8}
                className="tile"
                role="gridcell"
                tabIndex={0}
                aria-label={inertText(item.name)}
                onClick={() => onOpen(item.sha256)}
                onKeyDown={(e) => {
                  if (e.key === "Enter") {
                    e.preventDefault();
                    onOpen(item.sha256);
                  } else if (e.key === "r" || e.key === " ") {
                    e.preventDefault();
                    onToggle(item.sha256);
                  }
                }}
              >
                <Box h={130} pos="relative">
                  <ActionIcon
                    size="sm"
                    variant="filled"
                    color="dark"
                    pos="absolute"
                    top={4}
                    right={4}
                    style={{ zIndex: 1, opacity: 0.85 }}
                    aria-label={isRevealed(item.sha256) ? "Veil" : "Reveal"}
                    onClick={(e) => {
                      e.stopPropagation();
                      onToggle(item.sha256);
                    }}
                  >
                    {isRevealed(item.sha256) ? "◐" : "◉"}
                  </ActionIcon>
                  <Thumbnail
                    connection={connection}
                    dir={dir}
                    path={item.thumbnailPath}
                    alt={inertText(item.name)}
                    isRevealed={isRevealed(item.sha256)}
                  />
                </Box>
                <Stack gap={2} p={6}>
                  <Text size="xs" fw={600} truncate title={inertText(item.name)}>
                    {inertText(item.name)}
                  </Text>
                  <Group gap={4} wrap="nowrap">
                    <Badge size="xs" variant="light">
                      {item.kind ?? "pending"}
                    </Badge>
                    {item.hasGps && (
                      <Badge size="xs" variant="light" color="blue">
                        GPS
                      </Badge>
                    )}
                    {item.warningCodes.length > 0 && (
                      <Tooltip label={item.warningCodes.join(", ")}>
                        <Badge size="xs" variant="light" color="orange">
                          {item.warningCodes.length} warning{item.warningCodes.length === 1 ? "" : "s"}
                        </Badge>
                      </Tooltip>
                    )}
                  </Group>
                  <Text size="xs" c="dimmed" className="mono" truncate>
                    {item.capturedAt ? inertText(item.capturedAt) : "no capture time"}
                  </Text>
                </Stack>
              </Card>
            ))}
          </div>
        ))}
      </div>
    </div>
  );
}

const COLUMNS: { key: SortKey; label: string; width: string }[] = [
  { key: "name", label: "Name", width: "minmax(200px, 2fr)" },
  { key: "kind", label: "Kind", width: "90px" },
  { key: "capturedAt", label: "Captured", width: "230px" },
  { key: "gps", label: "GPS", width: "60px" },
  { key: "size", label: "Size", width: "90px" },
  { key: "sha256", label: "SHA-256", width: "150px" },
];
const TEMPLATE = `${COLUMNS.map((c) => c.width).join(" ")} 120px`;

function ItemTable({
  rows,
  sort,
  onSort,
  onOpen,
}: {
  rows: ItemRow[];
  sort: { key: SortKey; asc: boolean };
  onSort: (s: { key: SortKey; asc: boolean }) => void;
  onOpen: (sha: string) => void;
}) {
  const parent = useRef<HTMLDivElement>(null);
  const virtualizer = useVirtualizer({
    count: rows.length,
    getScrollElement: () => parent.current,
    estimateSize: () => 30,
    overscan: 12,
  });
  return (
    <div ref={parent} style={{ flex: 1, overflow: "auto" }} role="table" aria-label="Items table">
      <div
        role="row"
        style={{ display: "grid", gridTemplateColumns: TEMPLATE, position: "sticky", top: 0, zIndex: 1 }}
        className="table-head"
      >
        {COLUMNS.map((c) => (
          <button
            key={c.key}
            role="columnheader"
            aria-sort={sort.key === c.key ? (sort.asc ? "ascending" : "descending") : "none"}
            onClick={() => onSort({ key: c.key, asc: sort.key === c.key ? !sort.asc : true })}
            style={{
              textAlign: "left",
              padding: "6px 10px",
              border: 0,
              font: "inherit",
              fontSize: 12,
              fontWeight: 600,
              color: "inherit",
              background: "var(--mantine-color-default)",
              borderBottom: "1px solid var(--mantine-color-default-border)",
              cursor: "pointer",
            }}
          >
            {c.label} {sort.key === c.key ? (sort.asc ? "▲" : "▼") : ""}
          </button>
        ))}
        <div
          role="columnheader"
          style={{
            padding: "6px 10px",
            fontSize: 12,
            fontWeight: 600,
            background: "var(--mantine-color-default)",
            borderBottom: "1px solid var(--mantine-color-default-border)",
          }}
        >
          Warnings
        </div>
      </div>
      <div style={{ height: virtualizer.getTotalSize(), position: "relative" }}>
        {virtualizer.getVirtualItems().map((vr) => {
          const r = rows[vr.index]!;
          return (
            <div
              key={r.sha256}
              role="row"
              tabIndex={0}
              aria-label={inertText(r.name)}
              onClick={() => onOpen(r.sha256)}
              onKeyDown={(e) => e.key === "Enter" && onOpen(r.sha256)}
              style={{
                cursor: "pointer",
                position: "absolute",
                top: 0,
                left: 0,
                right: 0,
                height: 30,
                transform: `translateY(${vr.start}px)`,
                display: "grid",
                gridTemplateColumns: TEMPLATE,
                alignItems: "center",
                fontSize: 13,
                borderBottom: "1px solid var(--mantine-color-default-border)",
              }}
            >
              <Text role="cell" size="sm" px={10} truncate title={inertText(r.name)}>
                {inertText(r.name)}
              </Text>
              <Text role="cell" size="sm" px={10}>
                {r.kind ?? "pending"}
              </Text>
              <Text role="cell" size="xs" px={10} className="mono">
                {r.capturedAt ? inertText(r.capturedAt) : "—"}
              </Text>
              <Text role="cell" size="sm" px={10}>
                {r.hasGps ? "yes" : "no"}
              </Text>
              <Text role="cell" size="sm" px={10}>
                {formatBytes(r.size)}
              </Text>
              <Text role="cell" size="xs" px={10} className="mono">
                {r.sha256.slice(0, 16)}
              </Text>
              <Text role="cell" size="xs" px={10} c={r.warningCodes.length ? "orange" : "dimmed"} truncate>
                {r.warningCodes.join(", ") || "—"}
              </Text>
            </div>
          );
        })}
      </div>
    </div>
  );
}
