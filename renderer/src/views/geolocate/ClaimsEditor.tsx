/**
 * What others say about where and when (the file's metadata, the uploader, a caption, the post
 * time), kept apart from the verifier's finding. Each claim keeps its source and the words it came in.
 */
import { ActionIcon, Box, Button, Group, Select, Stack, Text, TextInput } from "@mantine/core";
import { CLAIM_SOURCES, isoInstant, type Claim, type ClaimSource } from "../../../../shared/ledger/geoEvents.js";
import { inertText } from "../../../../shared/text/inertText.js";
import { CoordinateField } from "./CoordinateField.js";
import { CLAIM_SOURCE_LABELS } from "./geoLabels.js";

export function ClaimsEditor({ claims, onChange }: { claims: Claim[]; onChange: (claims: Claim[]) => void }) {
  const set = (i: number, patch: Partial<Claim>) => onChange(claims.map((c, j) => (j === i ? { ...c, ...patch } : c)));
  return (
    <Stack gap="xs" aria-label="Claims">
      {claims.length === 0 && (
        <Text size="xs" c="dimmed">
          No claims yet: the file's metadata says nothing about where or when.
        </Text>
      )}
      {claims.map((c, i) => (
        <Box key={i} p={6} style={{ border: "1px solid var(--mantine-color-default-border)", borderRadius: 4 }}>
          <Group gap="xs" align="flex-end" wrap="nowrap">
            <Select
              label={`Claim ${i + 1}: who says so`}
              data={CLAIM_SOURCES.map((s) => ({ value: s, label: CLAIM_SOURCE_LABELS[s] }))}
              value={c.source}
              onChange={(v) => v && set(i, { source: v as ClaimSource })}
              allowDeselect={false}
              size="xs"
              style={{ flex: 1 }}
            />
            <ActionIcon
              variant="subtle"
              color="red"
              aria-label={`Remove claim ${i + 1}`}
              onClick={() => onChange(claims.filter((_, j) => j !== i))}
            >
              ✕
            </ActionIcon>
          </Group>
          <TextInput
            size="xs"
            label="In their words (channel, caption, tag)"
            value={c.detail}
            onChange={(e) => set(i, { detail: e.currentTarget.value })}
          />
          <TextInput
            size="xs"
            label="Place they name"
            value={c.placeName ?? ""}
            onChange={(e) => set(i, { placeName: e.currentTarget.value || null })}
          />
          <ClaimTime claim={c} index={i} onChange={(time) => set(i, { time })} />
          <CoordinateField
            size="xs"
            label={`Claim ${i + 1} position`}
            value={c.location}
            onChange={(location) => set(i, { location })}
          />
        </Box>
      ))}
      <Group gap="xs">
        <Button
          size="compact-xs"
          variant="light"
          onClick={() =>
            onChange([...claims, { source: "uploader", location: null, placeName: null, time: null, detail: "" }])
          }
        >
          Add a claim
        </Button>
        <Text size="xs" c="dimmed">
          Posting time is not capture time: keep each as its own claim.
        </Text>
      </Group>
    </Stack>
  );
}

function ClaimTime({ claim, index, onChange }: { claim: Claim; index: number; onChange: (t: string | null) => void }) {
  const valid = claim.time === null || isoInstant.safeParse(claim.time).success;
  return (
    <TextInput
      size="xs"
      label={`Claim ${index + 1} time`}
      description="ISO 8601 with its offset, e.g. 2026-02-16T09:12:00Z"
      value={claim.time ?? ""}
      onChange={(e) => onChange(e.currentTarget.value.trim() || null)}
      error={valid ? undefined : inertText("a time is ISO 8601 with its offset (Z or +01:00)")}
      classNames={{ input: "mono" }}
    />
  );
}
