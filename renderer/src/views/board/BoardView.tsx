/**
 * The evidence board: every item of the case as a thumbnail grid or a table,
 * filtered and searched in the Dexie projection, virtualised so that tens of
 * thousands of items scroll smoothly. Imports run as jobs with live progress.
 */
import {
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
} from "@mantine/core";
import { useVirtualizer } from "@tanstack/react-virtual";
import { useLiveQuery } from "dexie-react-hooks";
import { memo, useCallback, useEffect, useMemo, useRef, useState } from "react";
import {
  emptyProgress,
  type CaseSummary,
  type ImportProgressInfo,
  type JobInfo,
} from "../../../shared/api/contract.js";
import { ITEM_STATUSES } from "../../../shared/ledger/events.js";
import { inertText } from "../../../shared/text/inertText.js";
import { formatBytes, formatDuration } from "../../../shared/text/units.js";
import type { CollectionInput } from "../../../shared/case/collection.js";
import { Thumbnail } from "../components/Thumbnail.js";
import { filesFromDrop, filesFromInput, startIntake, type Intake, type PickedFile } from "../intake.js";
import type { Connection } from "../connection.js";
import { CaseProjection, syncProjection, type ItemRow } from "../db/projection.js";
import { ItemView } from "./item/ItemView.js";

type KindFilter = "all" | "image" | "video" | "other";
type SortKey = "name" | "kind" | "capturedAt" | "gps" | "status" | "tags" | "sha256" | "size";

const TILE = 196;
const TILE_HEIGHT = 212;

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
  const isAll = f.kind === "all" && f.status === null && f.tag === null && !f.gpsOnly && !f.warningsOnly;
  if (isAll && needle === "") return items;
  return items.filter(
    (i) =>
      (f.kind === "all" || (f.kind === "other" ? i.kind !== "image" && i.kind !== "video" : i.kind === f.kind)) &&
      (f.status === null || i.status === f.status) &&
      (f.tag === null || i.tags.includes(f.tag)) &&
      (!f.gpsOnly || i.gps === 1) &&
      (!f.warningsOnly || i.hasWarnings === 1) &&
      (needle === "" || i.haystack.includes(needle)),
  );
}

/**
 * Sorts once per change of the rows or the sort key (filters then keep this order), with each
 * row's key computed once rather than at every comparison.
 */
export function sortItems(items: ItemRow[], key: SortKey, asc: boolean): ItemRow[] {
  const keyOf = (r: ItemRow): string | number =>
    key === "gps"
      ? r.gps
      : key === "size"
        ? r.size
        : key === "tags"
          ? r.tags.join(",")
          : key === "name"
            ? r.name.toLowerCase()
            : String(r[key] ?? "");
  const dirn = asc ? 1 : -1;
  return items
    .map((row) => ({ row, k: keyOf(row) }))
    .sort((a, b) => (a.k < b.k ? -dirn : a.k > b.k ? dirn : a.row.sha256 < b.row.sha256 ? -1 : 1))
    .map((e) => e.row);
}

export function BoardView({
  connection,
  summary,
  onSummary,
  veilByDefault,
}: {
  connection: Connection;
  summary: CaseSummary;
  onSummary: (s: CaseSummary) => void;
  /** The examiner's setting: media starts veiled (the default) or shown. */
  veilByDefault: boolean;
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
  const [revealAll, setRevealAll] = useState(!veilByDefault);
  useEffect(() => setRevealAll(!veilByDefault), [veilByDefault]);
  const [revealed, setRevealed] = useState<Set<string>>(new Set());
  const [importPath, setImportPath] = useState("");
  const [job, setJob] = useState<RunningImport | null>(null);
  const [provenance, setProvenance] = useState<CollectionInput>({});
  const [showProvenance, setShowProvenance] = useState(false);
  const [dragDepth, setDragDepth] = useState(0);
  const intake = useRef<Intake | null>(null);
  const filePicker = useRef<HTMLInputElement>(null);
  const folderPicker = useRef<HTMLInputElement>(null);
  const [lastJob, setLastJob] = useState<JobInfo | null>(null);
  const [openSha, setOpenSha] = useState<string | null>(null);

  // Keep the projection at the ledger head: now, and whenever the ledger moves.
  useEffect(() => {
    let alive = true;
    // One sync at a time: events come in bursts during an import, and two syncs racing could
    // leave the older one's rows (and head) last. A request made while one runs queues one more.
    let running: Promise<void> | null = null;
    let again = false;
    const syncOnce = async () => {
      const opened = await client.api.openCase({ dir });
      if (!opened.ok) return setSyncError(opened.error.message);
      if (!alive) return;
      onSummary(opened.value);
      let isRebuilding = false;
      await syncProjection(db, client, dir, opened.value.head, (rows) => {
        isRebuilding = true;
        if (alive) setBuilding({ rows, isWritten: false });
      }).catch((e: Error) => setSyncError(e.message));
      if (isRebuilding && alive) setBuilding((b) => b && { ...b, isWritten: true });
    };
    const refresh = async () => {
      if (running) {
        again = true;
        return running;
      }
      running = (async () => {
        do {
          again = false;
          await syncOnce();
        } while (again && alive);
      })();
      try {
        await running;
      } finally {
        running = null;
      }
    };
    void refresh();
    const stop = client.onEvent((event) => {
      if (event.type === "ledger.appended" && event.dir === dir) void refresh();
      if (event.type === "job.progress") {
        setJob((j) =>
          j && j.id === event.jobId
            ? {
                ...j,
                progress: event.progress,
                phaseStarted: event.progress.phase === j.progress.phase ? j.phaseStarted : Date.now(),
              }
            : j,
        );
      }
      if (event.type === "job.finished" && event.job.dir === dir && event.job.kind === "import") {
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

  // While a rebuilt projection is being written, the board works from the rows in memory (and the
  // live query rests, rather than re-reading the table after every slice); it returns to the live
  // query once that reflects the written rows.
  const [building, setBuilding] = useState<{ rows: ItemRow[]; isWritten: boolean } | null>(null);
  const isWriting = building !== null && !building.isWritten;
  const live = useLiveQuery<ItemRow[] | undefined>(() => (isWriting ? undefined : db.items.toArray()), [db, isWriting]);
  useEffect(() => {
    if (building?.isWritten && live && live.length >= building.rows.length) setBuilding(null);
  }, [building, live]);
  const items = useMemo(() => building?.rows ?? live ?? [], [building, live]);
  const sorted = useMemo(() => sortItems(items, sort.key, sort.asc), [items, sort]);
  const filtered = useMemo(
    () => filterItems(sorted, { search, kind, gpsOnly, warningsOnly, status, tag }),
    [sorted, search, kind, gpsOnly, warningsOnly, status, tag],
  );
  const allTags = useMemo(() => [...new Set(items.flatMap((i) => i.tags))].sort(), [items]);

  // Provenance describes one batch: once an import has it, the fields empty for the next.
  const track = (jobId: string) => {
    setJob({ id: jobId, phaseStarted: Date.now(), progress: emptyProgress() });
    setProvenance({});
    setShowProvenance(false);
  };

  const collection = (): CollectionInput =>
    Object.fromEntries(Object.entries(provenance).filter(([, v]) => typeof v === "string" && v.trim() !== ""));

  const importByPath = async () => {
    setSyncError(null);
    const result = await client.api.importFiles({ dir, paths: [importPath], collection: collection() });
    if (!result.ok) return setSyncError(result.error.message);
    track(result.value.jobId);
  };

  const importPicked = async (files: PickedFile[]) => {
    setSyncError(null);
    if (files.length === 0) return setSyncError("Nothing to import: no files were dropped or picked.");
    try {
      const started = await startIntake(connection, dir, files, collection());
      intake.current = started;
      track(started.jobId);
    } catch (error) {
      setSyncError((error as Error).message);
    }
  };

  const onDrop = async (e: React.DragEvent) => {
    e.preventDefault();
    setDragDepth(0);
    if (job) return setSyncError("An import is running; drop again when it has finished.");
    try {
      await importPicked(await filesFromDrop(e.dataTransfer));
    } catch (error) {
      setSyncError(`The dropped items could not be read: ${(error as Error).message}`);
    }
  };
  const carriesFiles = (e: React.DragEvent) => e.dataTransfer.types.includes("Files");

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
  const toggleReveal = useCallback(
    (sha: string) =>
      setRevealed((s) => {
        const next = new Set(s);
        if (next.has(sha)) next.delete(sha);
        else next.add(sha);
        return next;
      }),
    [],
  );

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
    <Stack
      gap={0}
      h="calc(100vh - 48px)"
      pos="relative"
      onDragEnter={(e) => {
        if (!carriesFiles(e)) return;
        e.preventDefault();
        setDragDepth((d) => d + 1);
      }}
      onDragOver={(e) => {
        if (!carriesFiles(e)) return;
        e.preventDefault();
        e.dataTransfer.dropEffect = job ? "none" : "copy";
      }}
      onDragLeave={(e) => {
        if (carriesFiles(e)) setDragDepth((d) => Math.max(0, d - 1));
      }}
      onDrop={(e) => void onDrop(e)}
    >
      {dragDepth > 0 && (
        <div className="drop-overlay" aria-hidden>
          <div>
            <Text fw={600} size="lg">
              {job ? "An import is running" : "Drop files or folders to import"}
            </Text>
            <Text size="sm" c="dimmed">
              Originals are copied into the case read-only, hashed and logged; nothing is changed.
            </Text>
          </div>
        </div>
      )}
      <Box px="md" py="sm" style={{ borderBottom: "1px solid var(--mantine-color-default-border)" }}>
        <Group justify="space-between" wrap="wrap" gap="sm">
          <Group gap="xs" wrap="wrap">
            <TextInput
              size="xs"
              placeholder="Search names, metadata, notes"
              aria-label="Search"
              value={search}
              onChange={(e) => setSearch(e.currentTarget.value)}
              w={250}
            />
            <SegmentedControl
              size="xs"
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
            <Chip size="xs" checked={gpsOnly} onChange={setGpsOnly} variant="light">
              Has GPS
            </Chip>
            <Chip size="xs" checked={warningsOnly} onChange={setWarningsOnly} variant="light" color="orange">
              Has warnings
            </Chip>
            <Select
              size="xs"
              aria-label="Status"
              placeholder="Any status"
              clearable
              w={140}
              value={status}
              onChange={setStatus}
              data={[...ITEM_STATUSES]}
            />
            <Select
              size="xs"
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
            {building && !building.isWritten && (
              <Text size="xs" c="dimmed" role="status" style={{ whiteSpace: "nowrap" }}>
                saving the local index…
              </Text>
            )}
            <Switch
              size="xs"
              label="Reveal media"
              checked={revealAll}
              onChange={(e) => setRevealAll(e.currentTarget.checked)}
            />
            <SegmentedControl
              size="xs"
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
        <Group mt="sm" gap="xs" wrap="nowrap" align="center">
          <Button size="xs" variant="light" onClick={() => filePicker.current?.click()} disabled={!!job}>
            Add files…
          </Button>
          <Button size="xs" variant="light" onClick={() => folderPicker.current?.click()} disabled={!!job}>
            Add folder…
          </Button>
          <input
            ref={filePicker}
            type="file"
            multiple
            hidden
            aria-label="Pick files to import"
            onChange={(e) => {
              const files = filesFromInput(e.currentTarget.files!);
              e.currentTarget.value = "";
              void importPicked(files);
            }}
          />
          <input
            ref={folderPicker}
            type="file"
            hidden
            aria-label="Pick a folder to import"
            {...{ webkitdirectory: "" }}
            onChange={(e) => {
              const files = filesFromInput(e.currentTarget.files!);
              e.currentTarget.value = "";
              void importPicked(files);
            }}
          />
          <Text size="xs" c="dimmed" style={{ whiteSpace: "nowrap" }}>
            or drop them anywhere here, or give a path:
          </Text>
          <TextInput
            size="xs"
            aria-label="Path to import"
            placeholder="/path/to/files-or-folder on this machine"
            classNames={{ input: "mono" }}
            value={importPath}
            onChange={(e) => setImportPath(e.currentTarget.value)}
            onKeyDown={(e) => e.key === "Enter" && importPath && !job && void importByPath()}
            style={{ flex: 1 }}
          />
          <Button size="xs" onClick={() => void importByPath()} disabled={!importPath || !!job}>
            Import
          </Button>
          <Button
            size="xs"
            variant={showProvenance ? "filled" : "default"}
            onClick={() => setShowProvenance((v) => !v)}
            aria-expanded={showProvenance}
          >
            Provenance{Object.values(collection()).length ? ` (${Object.values(collection()).length})` : ""}
          </Button>
        </Group>
        {showProvenance && <ProvenanceFields value={provenance} onChange={setProvenance} />}
        {job && (
          <ImportProgress
            job={job}
            onCancel={() => {
              intake.current?.abort();
              void client.api.cancelJob({ jobId: job.id });
            }}
          />
        )}
        {lastJob && !job && <ImportSummary job={lastJob} />}
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

/** How the last import ended: counts, then every file that did not come in with why, and the job's warnings. */
function ImportSummary({ job }: { job: JobInfo }) {
  const [isOpen, setOpen] = useState(false);
  const count = (...statuses: string[]) => job.outcomes.filter((o) => statuses.includes(o.status)).length;
  const missed = job.outcomes.filter(
    (o): o is Extract<JobInfo["outcomes"][number], { reason: string }> => "reason" in o,
  );
  const shown = missed.slice(0, 500);
  return (
    <Box mt="xs">
      <Group gap="xs" wrap="nowrap">
        <Text size="sm" c={job.status === "finished" && missed.length === 0 ? "teal" : "orange"} role="status">
          Import {job.status}: {count("imported")} imported, {count("duplicate")} already in the case, {missed.length}{" "}
          not imported
          {job.error ? ` (${inertText(job.error)})` : ""}
        </Text>
        {(missed.length > 0 || job.warnings.length > 0) && (
          <Button size="compact-xs" variant="subtle" onClick={() => setOpen((o) => !o)} aria-expanded={isOpen}>
            {isOpen ? "Hide details" : "Details"}
          </Button>
        )}
      </Group>
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
          {missed.length > shown.length && (
            <Text size="xs" c="dimmed">
              and {missed.length - shown.length} more (every one is in the job's outcome list)
            </Text>
          )}
        </Box>
      )}
    </Box>
  );
}

interface RunningImport {
  id: string;
  progress: ImportProgressInfo;
  /** When the current phase began: rate and time left are per phase (receiving, then copying). */
  phaseStarted: number;
}

const PHASE_LABEL: Record<ImportProgressInfo["phase"], string> = {
  receiving: "Receiving",
  scanning: "Scanning",
  copying: "Copying and hashing",
  committing: "Recording",
  analysing: "Analysing",
  verifying: "Verifying",
  finished: "Finishing",
};

function ImportProgress({ job, onCancel }: { job: RunningImport; onCancel: () => void }) {
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
  return (
    <Card withBorder mt="sm" padding="sm" aria-label="Import progress">
      <Group justify="space-between" mb={6} wrap="nowrap">
        <Text size="sm" role="status">
          {isAnalysing
            ? `Analysing: metadata, thumbnails and keyframes, ${p.analysing} item(s) left`
            : `${PHASE_LABEL[p.phase]}: ${p.filesDone} of ${p.filesTotal} files, ${formatBytes(p.bytesDone)} of ${formatBytes(p.bytesTotal)}`}
          {!isAnalysing && rate > 0 && ` · ${formatBytes(rate)}/s`}
          {!isAnalysing && left !== null && p.bytesDone > 0 && ` · ${formatDuration(left)} left`}
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

const PROVENANCE_FIELDS: { key: keyof CollectionInput; label: string; placeholder: string }[] = [
  { key: "sourceUrl", label: "Source URL", placeholder: "https://t.me/channel/1234" },
  { key: "sourceAccount", label: "Source account", placeholder: "@channel or uploader" },
  { key: "collectedAt", label: "Collected at", placeholder: "2026-02-16T09:12:00+01:00" },
  { key: "method", label: "Method", placeholder: "downloaded with the Telegram desktop client" },
  { key: "note", label: "Note", placeholder: "anything a later reader needs to know" },
];

/** Where the next import came from, recorded with every file it brings in (the collection record). */
function ProvenanceFields({ value, onChange }: { value: CollectionInput; onChange: (v: CollectionInput) => void }) {
  return (
    <Group mt="xs" gap="xs" grow wrap="nowrap" aria-label="Provenance of the next import" role="group">
      {PROVENANCE_FIELDS.map((f) => (
        <TextInput
          key={f.key}
          size="xs"
          label={f.label}
          placeholder={f.placeholder}
          value={(value[f.key] as string | undefined) ?? ""}
          onChange={(e) => onChange({ ...value, [f.key]: e.currentTarget.value })}
        />
      ))}
    </Group>
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
    overscan: 3,
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
          <div key={vr.key} role="row" className="tile-row" style={{ transform: `translateY(${vr.start}px)` }}>
            {rows.slice(vr.index * columns, vr.index * columns + columns).map((item) => (
              <Tile
                key={item.sha256}
                item={item}
                connection={connection}
                dir={dir}
                revealed={isRevealed(item.sha256)}
                onToggle={onToggle}
                onOpen={onOpen}
              />
            ))}
          </div>
        ))}
      </div>
    </div>
  );
}

/**
 * One card of the grid. Plain elements and memoised: a scroll renders only the rows that come
 * into view, and a 50,000-item board stays smooth on a machine without a GPU.
 */
const Tile = memo(function Tile({
  item,
  connection,
  dir,
  revealed,
  onToggle,
  onOpen,
}: {
  item: ItemRow;
  connection: Connection;
  dir: string;
  revealed: boolean;
  onToggle: (sha: string) => void;
  onOpen: (sha: string) => void;
}) {
  const name = inertText(item.name);
  const warnings = item.warningCodes.length;
  return (
    <div
      className="tile"
      role="gridcell"
      tabIndex={0}
      aria-label={name}
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
      <div className="tile-media">
        <button
          type="button"
          className="tile-veil"
          aria-label={revealed ? "Veil" : "Reveal"}
          title={revealed ? "Veil (r)" : "Reveal (r)"}
          onClick={(e) => {
            e.stopPropagation();
            onToggle(item.sha256);
          }}
        >
          {revealed ? "◐" : "◉"}
        </button>
        <Thumbnail connection={connection} dir={dir} path={item.thumbnailPath} alt={name} isRevealed={revealed} />
      </div>
      <div className="tile-body">
        <div className="tile-name" title={name}>
          {name}
        </div>
        <div className="tile-badges">
          <span className="pill">{item.kind ?? "pending"}</span>
          {item.hasGps && <span className="pill pill-blue">GPS</span>}
          {item.status !== "unverified" && <span className={`pill pill-status-${item.status}`}>{item.status}</span>}
          {warnings > 0 && (
            <span className="pill pill-orange" title={item.warningCodes.join(", ")}>
              {warnings} warning{warnings === 1 ? "" : "s"}
            </span>
          )}
        </div>
        <div className="tile-time mono">{item.capturedAt ? inertText(item.capturedAt) : "no capture time"}</div>
      </div>
    </div>
  );
});

const COLUMNS: { key: SortKey; label: string; width: string }[] = [
  { key: "name", label: "Name", width: "minmax(200px, 2fr)" },
  { key: "kind", label: "Kind", width: "90px" },
  { key: "capturedAt", label: "Captured", width: "230px" },
  { key: "gps", label: "GPS", width: "60px" },
  { key: "status", label: "Status", width: "100px" },
  { key: "tags", label: "Tags", width: "minmax(100px, 1fr)" },
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
                {r.status}
              </Text>
              <Text role="cell" size="sm" px={10} truncate title={inertText(r.tags.join(", "))}>
                {r.tags.length ? inertText(r.tags.join(", ")) : "—"}
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
