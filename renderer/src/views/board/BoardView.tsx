/**
 * The evidence board: every item of the case as a thumbnail grid or a table,
 * filtered and searched in the Dexie projection, virtualised so that tens of
 * thousands of items scroll smoothly. Imports run as jobs with live progress.
 */
import { Box, Stack, Text } from "@mantine/core";
import { useCallback, useEffect, useRef, useState } from "react";
import type { CaseSummary } from "../../../../shared/api/contract.js";
import type { Connection } from "../../connection.js";
import { isInField } from "../../keyboard/inField.js";
import { ItemView } from "../item/ItemView.js";
import { BoardActions, useShownItems } from "./BoardActions.js";
import { BoardToolbar } from "./BoardToolbar.js";
import { ItemGrid } from "./ItemGrid.js";
import { ItemTable } from "./ItemTable.js";
import { SelectionBar } from "./SelectionBar.js";
import { useBoardSelection } from "./useBoardSelection.js";
import { useBoardFilters } from "./useBoardFilters.js";
import { useCaseProjection } from "./useCaseProjection.js";
import { useImports } from "./useImports.js";

export function BoardView({
  connection,
  summary,
  onSummary,
  veilByDefault,
  area = null,
  onClearArea,
  openOnMount = null,
}: {
  connection: Connection;
  summary: CaseSummary;
  onSummary: (s: CaseSummary) => void;
  /** The examiner's setting: media starts veiled (the default) or shown. */
  veilByDefault: boolean;
  /** Items inside the area selected on the case map: the board shows only those until cleared. */
  area?: { items: ReadonlySet<string> } | null;
  onClearArea?: () => void;
  /** An item to open as the board appears (a ledger finding's link). */
  openOnMount?: string | null;
}) {
  const dir = summary.dir;
  const { items, isWriting, syncError, setSyncError } = useCaseProjection(connection, summary, onSummary);
  const filters = useBoardFilters(items, area?.items ?? null);
  const { filtered } = filters;
  const selection = useBoardSelection(filtered);
  // What the board shows, for the report and bundle buttons: read when a dialog opens.
  const shownItems = useShownItems(filtered);
  const imports = useImports(connection, dir, setSyncError);
  const [revealAll, setRevealAll] = useState(!veilByDefault);
  useEffect(() => setRevealAll(!veilByDefault), [veilByDefault]);
  const [revealed, setRevealed] = useState<Set<string>>(new Set());
  const [dragDepth, setDragDepth] = useState(0);
  const [openSha, setOpenSha] = useState<string | null>(openOnMount);
  // The item last closed: back on the board, the keyboard lands on its tile or table row (in the
  // layout it was opened from; a switch of layout forgets it, so the switch keeps its own focus).
  const [closed, setClosed] = useState<{ sha: string; layout: "grid" | "table" } | null>(null);
  const closeItem = useCallback(() => {
    setClosed(openSha ? { sha: openSha, layout: filters.layout } : null);
    setOpenSha(null);
  }, [openSha, filters.layout]);
  useEffect(() => setClosed(null), [filters.layout]);
  const closedSha = closed?.layout === filters.layout ? closed.sha : null;

  const carriesFiles = (e: React.DragEvent) => e.dataTransfer.types.includes("Files");

  // j / k: next and previous item in the board's order; Escape: back to the board. Not while the
  // item's where-and-when workspace is open, wherever the focus is: a stray key must not close a
  // form half filled in.
  const isWorkspaceOpen = useRef(false);
  const onWorkspaceChange = useCallback((isOpen: boolean) => {
    isWorkspaceOpen.current = isOpen;
  }, []);
  useEffect(() => {
    if (!openSha) return;
    const onKey = (e: KeyboardEvent) => {
      if (isWorkspaceOpen.current) return;
      if (isInField(e.target)) return;
      const at = filtered.findIndex((r) => r.sha256 === openSha);
      if (e.key === "Escape") closeItem();
      else if (e.key === "j" && at >= 0 && at < filtered.length - 1) setOpenSha(filtered[at + 1]!.sha256);
      else if (e.key === "k" && at > 0) setOpenSha(filtered[at - 1]!.sha256);
    };
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  }, [openSha, filtered, closeItem]);

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
          onClose={closeItem}
          defaultRevealed={isRevealed(openSha)}
          onWorkspaceChange={onWorkspaceChange}
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
        e.dataTransfer.dropEffect = imports.job ? "none" : "copy";
      }}
      onDragLeave={(e) => {
        if (carriesFiles(e)) setDragDepth((d) => Math.max(0, d - 1));
      }}
      onDrop={(e) => {
        e.preventDefault();
        setDragDepth(0);
        void imports.importDropped(e.dataTransfer);
      }}
    >
      {dragDepth > 0 && (
        <div className="drop-overlay" aria-hidden>
          <div>
            <Text fw={600} size="lg">
              {imports.job ? "An import is running" : "Drop files or folders to import"}
            </Text>
            <Text size="sm" c="dimmed">
              Originals are copied into the case read-only, hashed and logged; nothing is changed.
            </Text>
          </div>
        </div>
      )}
      <Box px="md" py="sm" style={{ borderBottom: "1px solid var(--mantine-color-default-border)" }}>
        <BoardToolbar
          filters={filters}
          total={items.length}
          area={area}
          onClearArea={onClearArea}
          isWriting={isWriting}
          revealAll={revealAll}
          onRevealAll={setRevealAll}
        />
        <BoardActions
          connection={connection}
          dir={dir}
          imports={imports}
          shownItems={shownItems}
          syncError={syncError}
        />
      </Box>
      <SelectionBar connection={connection} dir={dir} selection={selection} shown={filtered} />
      {filters.layout === "grid" ? (
        <ItemGrid
          rows={filtered}
          connection={connection}
          dir={dir}
          isRevealed={isRevealed}
          onToggle={toggleReveal}
          onOpen={setOpenSha}
          initialSha={closedSha}
          selection={selection}
        />
      ) : (
        <ItemTable
          rows={filtered}
          sort={filters.sort}
          onSort={filters.setSort}
          onOpen={setOpenSha}
          initialSha={closedSha}
          selection={selection}
        />
      )}
    </Stack>
  );
}
