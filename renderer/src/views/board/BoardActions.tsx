/**
 * The board's rows of actions under its toolbar: import, restore offers, the custody report and
 * bundle of what the board shows, the training exercise, and a sync error. Memoised, with props
 * that stay the same across filter changes, so a filter change does not redraw any of it: at
 * 100,000 items the time before the new grid is painted is what the examiner waits for.
 */
import { Divider, Group, Text } from "@mantine/core";
import { memo, useMemo, useRef } from "react";
import { inertText } from "../../../../shared/text/inertText.js";
import type { Connection } from "../../connection.js";
import type { ItemRow } from "../../db/projection.js";
import { BundleButton } from "../exchange/BundleDialog.js";
import { ReportButton } from "../reports/ReportDialog.js";
import { TrainingOnBoard } from "../training/TrainingOnBoard.js";
import { ImportBar } from "./ImportBar.js";
import { RestoreOffer } from "./RestoreOffer.js";
import type { Imports } from "./useImports.js";

/** What the report and bundle dialogs read of the items the board shows. */
export interface ShownItems {
  readonly label: string;
  readonly count: number;
  readonly sha256s: string[];
}

/**
 * The items the board shows, for the report and bundle dialogs: one object for the board's life,
 * whose fields read the rows shown at the moment they are read (the dialogs read them as they
 * open). The list of SHA-256s is made when first read for a given set of rows, not at every filter
 * change: at 100,000 items building it each time cost more, in allocation and garbage collection,
 * than the filter itself.
 */
export function useShownItems(shown: ItemRow[]): ShownItems {
  const latest = useRef(shown);
  latest.current = shown;
  return useMemo(() => {
    let listed: { rows: ItemRow[]; sha256s: string[] } | null = null;
    return {
      get label() {
        return `The ${latest.current.length} items the board shows now`;
      },
      get count() {
        return latest.current.length;
      },
      get sha256s() {
        const rows = latest.current;
        if (listed?.rows !== rows) listed = { rows, sha256s: rows.map((r) => r.sha256) };
        return listed.sha256s;
      },
    };
  }, []);
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
          trainee's exercise panel (a section) takes the row's whole width (app.css). */}
      <Group className="board-actions" gap="xs" mt="xs" wrap="wrap" role="group" aria-label="Reports and exports">
        <ReportButton connection={connection} dir={dir} items={shownItems} />
        <BundleButton client={connection.client} dir={dir} items={shownItems} />
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
