/**
 * The bar over the board while items are selected: how many (and how many of them the filters
 * hide), Clear selection, Select all shown, and the two things to do with them: a custody report
 * and a bundle of just those items (the report and bundle dialogs, opened on the selection).
 */
import { Button, Group, Text } from "@mantine/core";
import { useMemo } from "react";
import type { Connection } from "../../connection.js";
import type { ItemRow } from "../../db/projection.js";
import { BundleButton } from "../exchange/BundleDialog.js";
import { ReportButton } from "../reports/ReportDialog.js";
import type { BoardSelection } from "./useBoardSelection.js";

export function SelectionBar({
  connection,
  dir,
  selection,
  shown,
}: {
  connection: Connection;
  dir: string;
  selection: BoardSelection;
  /** The rows the board shows now. */
  shown: ItemRow[];
}) {
  const { selected } = selection;
  const count = selected.size;
  const hidden = useMemo(() => {
    if (count === 0) return 0;
    let inView = 0;
    for (const r of shown) if (selected.has(r.sha256)) inView++;
    return count - inView;
  }, [selected, count, shown]);
  // The dialogs read the items when they open; the list is made once per selection.
  const items = useMemo(
    () => ({ label: `The ${count} selected item${count === 1 ? "" : "s"}`, sha256s: [...selected] }),
    [selected, count],
  );
  if (count === 0) return null;
  return (
    <Group gap="xs" wrap="wrap" role="region" aria-label="Selection" className="selection-bar" px="md" py={6}>
      <Text size="sm" fw={600} role="status">
        {count} selected
        {hidden > 0 && (
          <Text span size="sm" fw={400} c="dimmed">
            {" "}
            ({hidden} not shown by the filters)
          </Text>
        )}
      </Text>
      <Button size="compact-sm" variant="subtle" onClick={selection.clear}>
        Clear selection
      </Button>
      {count - hidden < shown.length && (
        <Button size="compact-sm" variant="subtle" onClick={selection.selectAll}>
          Select all {shown.length} shown
        </Button>
      )}
      <ReportButton connection={connection} dir={dir} buttonLabel="Report on selected…" items={items} />
      <BundleButton client={connection.client} dir={dir} buttonLabel="Export selected…" items={items} />
    </Group>
  );
}
