/**
 * The board's top row: search, filters (kind, GPS, warnings, integrity problems, status, tag), the area selected on
 * the case map, how many items are shown, the media veil and the layout.
 *
 * Each control is its own memoised component with plain props (and the filters' state setters, which
 * never change): a filter change re-renders the control that changed and the count, not the whole row
 * of inputs, selects and switches. At 100,000 items every millisecond before the new grid is painted counts.
 */
import { Button, Chip, Group, SegmentedControl, Select, Switch, Text, TextInput } from "@mantine/core";
import { memo } from "react";
import { ITEM_STATUSES } from "../../../../shared/ledger/events.js";
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
        <SearchBox value={f.search} onChange={f.setSearch} />
        <Segments label="Kind" value={f.kind} data={KINDS} onChange={f.setKind as (v: string) => void} />
        <FlagChip checked={f.gpsOnly} onChange={f.setGpsOnly} label="Has GPS" />
        <FlagChip checked={f.warningsOnly} onChange={f.setWarningsOnly} label="Has warnings" color="orange" />
        {(f.integrityCount > 0 || f.integrityOnly) && (
          <FlagChip
            checked={f.integrityOnly}
            onChange={f.setIntegrityOnly}
            label={`Integrity problems (${f.integrityCount})`}
            color="red"
          />
        )}
        <StatusSelect value={f.status} onChange={f.setStatus} />
        <TagSelect value={f.tag} onChange={f.setTag} tags={f.allTags} />
      </Group>
      <Group gap="sm" wrap="nowrap">
        {area && <AreaNote count={area.items.size} onClear={onClearArea} />}
        <Text size="sm" c="dimmed" aria-label="Item count" aria-live="polite" style={{ whiteSpace: "nowrap" }}>
          {f.filtered.length} of {total} items
        </Text>
        {isWriting && (
          <Text size="xs" c="dimmed" role="status" style={{ whiteSpace: "nowrap" }}>
            saving the local index…
          </Text>
        )}
        <RevealSwitch checked={revealAll} onChange={onRevealAll} />
        <Segments label="Layout" value={f.layout} data={LAYOUTS} onChange={f.setLayout as (v: string) => void} />
      </Group>
    </Group>
  );
}

const SearchBox = memo(function SearchBox({ value, onChange }: { value: string; onChange: (v: string) => void }) {
  return (
    <TextInput
      size="xs"
      placeholder="Search names, metadata, notes"
      aria-label="Search"
      value={value}
      onChange={(e) => onChange(e.currentTarget.value)}
      w={250}
    />
  );
});

const KINDS = [
  { label: "All", value: "all" },
  { label: "Images", value: "image" },
  { label: "Videos", value: "video" },
  { label: "Other", value: "other" },
];

/** A segmented choice (the kind, the layout); its values are those of `data`, so the setter gets one of them. */
const Segments = memo(function Segments({
  label,
  value,
  data,
  onChange,
}: {
  label: string;
  value: string;
  data: { label: string; value: string }[];
  onChange: (v: string) => void;
}) {
  return <SegmentedControl size="xs" aria-label={label} value={value} onChange={onChange} data={data} />;
});

const FlagChip = memo(function FlagChip({
  checked,
  onChange,
  label,
  color,
}: {
  checked: boolean;
  onChange: (checked: boolean) => void;
  label: string;
  color?: string;
}) {
  return (
    <Chip size="xs" checked={checked} onChange={onChange} variant="light" color={color}>
      {label}
    </Chip>
  );
});

const STATUSES = [...ITEM_STATUSES];

const StatusSelect = memo(function StatusSelect({
  value,
  onChange,
}: {
  value: string | null;
  onChange: (v: string | null) => void;
}) {
  return (
    <Select
      size="xs"
      aria-label="Status"
      placeholder="Any status"
      clearable
      w={140}
      value={value}
      onChange={onChange}
      data={STATUSES}
    />
  );
});

const TagSelect = memo(function TagSelect({
  value,
  onChange,
  tags,
}: {
  value: string | null;
  onChange: (v: string | null) => void;
  tags: string[];
}) {
  return (
    <Select
      size="xs"
      aria-label="Tag"
      placeholder="Any tag"
      clearable
      searchable
      w={130}
      value={value}
      onChange={onChange}
      data={tags}
    />
  );
});

const AreaNote = memo(function AreaNote({ count, onClear }: { count: number; onClear?: () => void }) {
  return (
    <Group gap={4} wrap="nowrap" role="status">
      <Text size="sm" fw={600} style={{ whiteSpace: "nowrap" }}>
        {count} item{count === 1 ? "" : "s"} in the selected area —
      </Text>
      <Button size="compact-xs" variant="subtle" onClick={onClear}>
        clear
      </Button>
    </Group>
  );
});

const RevealSwitch = memo(function RevealSwitch({
  checked,
  onChange,
}: {
  checked: boolean;
  onChange: (reveal: boolean) => void;
}) {
  return (
    <Switch size="xs" label="Reveal media" checked={checked} onChange={(e) => onChange(e.currentTarget.checked)} />
  );
});

const LAYOUTS = [
  { label: "Grid", value: "grid" },
  { label: "Table", value: "table" },
];
