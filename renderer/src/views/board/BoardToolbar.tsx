/**
 * The board's top row: search, filters (kind, GPS, warnings, integrity problems, status, tag), the area selected on
 * the case map, how many items are shown, the media veil and the layout.
 */
import { Button, Chip, Group, SegmentedControl, Select, Switch, Text, TextInput } from "@mantine/core";
import { ITEM_STATUSES } from "../../../../shared/ledger/events.js";
import type { KindFilter } from "./boardFilter.js";
import type { BoardFilters } from "./useBoardFilters.js";

export function BoardToolbar({
  filters: f,
  total,
  area,
  onClearArea,
  isWriting,
  revealAll,
  onRevealAll,
}: {
  filters: BoardFilters;
  total: number;
  area: { items: ReadonlySet<string> } | null;
  onClearArea?: () => void;
  isWriting: boolean;
  revealAll: boolean;
  onRevealAll: (reveal: boolean) => void;
}) {
  return (
    <Group justify="space-between" wrap="wrap" gap="sm">
      <Group gap="xs" wrap="wrap">
        <TextInput
          size="xs"
          placeholder="Search names, metadata, notes"
          aria-label="Search"
          value={f.search}
          onChange={(e) => f.setSearch(e.currentTarget.value)}
          w={250}
        />
        <SegmentedControl
          size="xs"
          aria-label="Kind"
          value={f.kind}
          onChange={(v) => f.setKind(v as KindFilter)}
          data={[
            { label: "All", value: "all" },
            { label: "Images", value: "image" },
            { label: "Videos", value: "video" },
            { label: "Other", value: "other" },
          ]}
        />
        <Chip size="xs" checked={f.gpsOnly} onChange={f.setGpsOnly} variant="light">
          Has GPS
        </Chip>
        <Chip size="xs" checked={f.warningsOnly} onChange={f.setWarningsOnly} variant="light" color="orange">
          Has warnings
        </Chip>
        {(f.integrityCount > 0 || f.integrityOnly) && (
          <Chip size="xs" checked={f.integrityOnly} onChange={f.setIntegrityOnly} variant="light" color="red">
            Integrity problems ({f.integrityCount})
          </Chip>
        )}
        <Select
          size="xs"
          aria-label="Status"
          placeholder="Any status"
          clearable
          w={140}
          value={f.status}
          onChange={f.setStatus}
          data={[...ITEM_STATUSES]}
        />
        <Select
          size="xs"
          aria-label="Tag"
          placeholder="Any tag"
          clearable
          searchable
          w={130}
          value={f.tag}
          onChange={f.setTag}
          data={f.allTags}
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
          {f.filtered.length} of {total} items
        </Text>
        {isWriting && (
          <Text size="xs" c="dimmed" role="status" style={{ whiteSpace: "nowrap" }}>
            saving the local index…
          </Text>
        )}
        <Switch
          size="xs"
          label="Reveal media"
          checked={revealAll}
          onChange={(e) => onRevealAll(e.currentTarget.checked)}
        />
        <SegmentedControl
          size="xs"
          aria-label="Layout"
          value={f.layout}
          onChange={(v) => f.setLayout(v as "grid" | "table")}
          data={[
            { label: "Grid", value: "grid" },
            { label: "Table", value: "table" },
          ]}
        />
      </Group>
    </Group>
  );
}
