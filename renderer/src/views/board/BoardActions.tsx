/**
 * The board's rows of actions under its toolbar: import, restore offers, the custody report and
 * bundle of what the board shows, the training exercise, and a sync error. Memoised, with props
 * that stay the same across filter changes, so a filter change does not redraw any of it: at
 * 100,000 items the time before the new grid is painted is what the examiner waits for.
 */
import { Divider, Group, Text } from "@mantine/core";
import { memo, useLayoutEffect, useMemo, useRef, useState, type ReactNode } from "react";
import { inertText } from "../../../../shared/text/inertText.js";
import type { Connection } from "../../connection.js";
import type { ItemRow } from "../../db/projection.js";
import { BundleButton } from "../exchange/BundleDialog.js";
import { ReportButton, type ReportItems } from "../reports/ReportDialog.js";
import { TrainingOnBoard } from "../training/TrainingOnBoard.js";
import { ImportBar } from "./ImportBar.js";
import { RestoreOffer } from "./RestoreOffer.js";
import type { Imports } from "./useImports.js";

/** The items the board shows, as the report and bundle dialogs take them. */
export interface ShownItems {
  /** The rows shown at this moment, fixed: what a dialog opened now says and does, whatever the board does next. */
  snapshot(): ReportItems;
}

/**
 * The items the board shows, for the report and bundle dialogs: one object for the board's life,
 * whose `snapshot()` takes the rows shown when it is called (as a dialog opens), so that a filter
 * change does not redraw the board's actions.
 */
export function useShownItems(shown: ItemRow[]): ShownItems {
  const latest = useRef(shown);
  // Once committed, not during render: a render React throws away never reaches a dialog.
  useLayoutEffect(() => {
    latest.current = shown;
  }, [shown]);
  return useMemo(() => ({ snapshot: () => snapshotOf(latest.current) }), []);
}

/**
 * `rows` as a dialog's items. Its list of SHA-256s is made when first read (when a report or bundle
 * is made), not as the dialog opens: at 100,000 items making it costs more than the filter itself.
 */
function snapshotOf(rows: readonly ItemRow[]): ReportItems {
  let sha256s: string[] | null = null;
  return {
    label: `The ${rows.length} items the board shows now`,
    count: rows.length,
    get sha256s() {
      return (sha256s ??= rows.map((r) => r.sha256));
    },
  };
}

const NO_ITEMS: ReportItems = { label: "", count: 0, sha256s: [] };

/**
 * Its buttons' dialogs get the shown items as they were when one of the buttons was pressed (by
 * pointer or keyboard, both a click), and keep them while open: the board may be filtered again or
 * the case grow behind a dialog, which then still says and does what it said when it opened.
 */
function ItemsFixedOnPress({
  shownItems,
  children,
}: {
  shownItems: ShownItems;
  children: (items: ReportItems) => ReactNode;
}) {
  const [items, setItems] = useState(NO_ITEMS);
  return (
    <div
      style={{ display: "contents" }}
      onClickCapture={(e) => {
        // React carries clicks in the dialog (in a portal, outside this element) here too: they do not count.
        if (e.currentTarget.contains(e.target as Node)) setItems(shownItems.snapshot());
      }}
    >
      {children(items)}
    </div>
  );
}

export const BoardActions = memo(function BoardActions({
  connection,
  dir,
  imports,
  shownItems,
  syncError,
}: {
  connection: Connection;
  dir: string;
  imports: Imports;
  shownItems: ShownItems;
  syncError: string | null;
}) {
  return (
    <>
      <ImportBar imports={imports} />
      <RestoreOffer connection={connection} dir={dir} job={imports.job ? null : imports.lastJob} />
      {/* Reports and exports on a row of their own, spaced, and training set apart from them; a
          trainee's exercise panel (a section) takes the row's whole width (app.css). The dialogs are
          keyed by case: one open when the case changes closes, with the items it held. */}
      <Group className="board-actions" gap="xs" mt="xs" wrap="wrap" role="group" aria-label="Reports and exports">
        <ItemsFixedOnPress key={`report ${dir}`} shownItems={shownItems}>
          {(items) => <ReportButton connection={connection} dir={dir} items={items} />}
        </ItemsFixedOnPress>
        <ItemsFixedOnPress key={`bundle ${dir}`} shownItems={shownItems}>
          {(items) => <BundleButton client={connection.client} dir={dir} items={items} />}
        </ItemsFixedOnPress>
        <Divider orientation="vertical" />
        <TrainingOnBoard connection={connection} dir={dir} />
      </Group>
      {syncError && (
        <Text size="sm" c="red" mt="xs" role="alert">
          {inertText(syncError)}
        </Text>
      )}
    </>
  );
});
