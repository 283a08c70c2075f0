/**
 * The evidence board: every item of the case as a thumbnail grid or a table,
 * filtered and searched in the Dexie projection, virtualised so that tens of
 * thousands of items scroll smoothly. Imports run as jobs with live progress.
 */
import { Box, Button, Chip, Group, SegmentedControl, Select, Stack, Switch, Text, TextInput } from "@mantine/core";
import { useLiveQuery } from "dexie-react-hooks";
import { useCallback, useEffect, useMemo, useRef, useState } from "react";
import { emptyProgress, type CaseSummary, type JobInfo } from "../../../../shared/api/contract.js";
import { ITEM_STATUSES } from "../../../../shared/ledger/events.js";
import { inertText } from "../../../../shared/text/inertText.js";
import type { CollectionInput } from "../../../../shared/case/collection.js";
import { filesFromDrop, filesFromInput, startIntake, type Intake, type PickedFile } from "../../intake.js";
import type { Connection } from "../../connection.js";
import { CaseProjection, syncProjection, type ItemRow } from "../../db/projection.js";
import { ItemView } from "../item/ItemView.js";
import { filterItems, sortItems, type KindFilter, type SortKey } from "./boardFilter.js";
import { ImportProgress, ImportSummary, ProvenanceFields, type RunningImport } from "./ImportPanels.js";
import { ItemGrid } from "./ItemGrid.js";
import { ItemTable } from "./ItemTable.js";

export function BoardView({
  connection,
  summary,
  onSummary,
  veilByDefault,
  area = null,
  onClearArea,
}: {
  connection: Connection;
  summary: CaseSummary;
  onSummary: (s: CaseSummary) => void;
  /** The examiner's setting: media starts veiled (the default) or shown. */
  veilByDefault: boolean;
  /** Items inside the area selected on the case map: the board shows only those until cleared. */
  area?: { items: ReadonlySet<string> } | null;
  onClearArea?: () => void;
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
    () => filterItems(sorted, { search, kind, gpsOnly, warningsOnly, status, tag, inside: area?.items ?? null }),
    [sorted, search, kind, gpsOnly, warningsOnly, status, tag, area],
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
            {area && (
              <Group gap={4} wrap="nowrap" role="status">
                <Text size="sm" fw={600} style={{ whiteSpace: "nowrap" }}>
                  {area.items.size} item{area.items.size === 1 ? "" : "s"} in the selected area —
                </Text>
                <Button size="compact-xs" variant="subtle" onClick={onClearArea}>
                  clear
                </Button>
              </Group>
            )}
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
