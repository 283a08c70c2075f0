/**
 * The provenance of the next import (the collection record): each field checked as it is typed,
 * marked when wrong with what is wrong, the collection time read back in words, and a time zone
 * asked for when the typed time names none.
 */
import { Select, SimpleGrid, TextInput } from "@mantine/core";
import { ZONE_CHOICES } from "../../../../shared/case/collectedAt.js";
import type { CollectionCheck, CollectionForm } from "../../../../shared/case/collection.js";

type TextField = Exclude<keyof CollectionForm, "collectedAtZone">;

const FIELDS: { key: TextField; label: string; placeholder: string; description?: string }[] = [
  { key: "sourceUrl", label: "Source URL", placeholder: "https://t.me/channel/1234" },
  { key: "sourceAccount", label: "Source account", placeholder: "@channel or uploader" },
  { key: "method", label: "Method", placeholder: "downloaded with the Telegram desktop client" },
  {
    key: "collectedAt",
    label: "Collected at",
    placeholder: "16/02/2026 09:12",
    description: "16/02/2026 09:12 (day/month/year), 2026-02-16 09:12 or 2026-02-16T09:12+01:00",
  },
];

export function ProvenanceFields({
  value,
  check,
  onChange,
}: {
  value: CollectionForm;
  check: CollectionCheck;
  onChange: (v: CollectionForm) => void;
}) {
  const { problems, collectedAt } = check;
  const readBack = collectedAt.kind === "ok" ? `Read as ${collectedAt.words}` : null;
  return (
    <SimpleGrid
      mt="xs"
      mb="sm"
      cols={{ base: 2, lg: 3 }}
      spacing="xs"
      verticalSpacing={6}
      aria-label="Provenance of the next import"
      role="group"
    >
      {FIELDS.map((f) => (
        <TextInput
          key={f.key}
          size="xs"
          label={f.label}
          placeholder={f.placeholder}
          description={f.key === "collectedAt" ? (readBack ?? f.description) : f.description}
          error={problems[f.key]}
          value={value[f.key] ?? ""}
          onChange={(e) => onChange({ ...value, [f.key]: e.currentTarget.value })}
          classNames={f.key === "collectedAt" ? { input: "mono" } : undefined}
        />
      ))}
      <Select
        size="xs"
        label="Time zone"
        description={check.hasOwnZone ? "The time above names its own zone" : "Of a time typed without one"}
        disabled={check.hasOwnZone}
        placeholder="Pick or type, e.g. UTC+01:00"
        data={ZONE_CHOICES as string[]}
        searchable
        clearable
        value={value.collectedAtZone ?? null}
        onChange={(zone) => onChange({ ...value, collectedAtZone: zone ?? "" })}
        error={problems.collectedAtZone}
        comboboxProps={{ withinPortal: true }}
      />
      <TextInput
        size="xs"
        label="Note"
        description="Kept with every file of this import"
        placeholder="anything a later reader needs to know"
        error={problems.note}
        value={value.note ?? ""}
        onChange={(e) => onChange({ ...value, note: e.currentTarget.value })}
      />
    </SimpleGrid>
  );
}
