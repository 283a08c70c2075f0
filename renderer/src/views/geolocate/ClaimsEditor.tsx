/**
 * What others say about where and when (the file's metadata, the uploader, a caption, the post
 * time), kept apart from the verifier's finding. Each claim keeps its source and the words it came in.
 */
import { ActionIcon, Box, Button, Group, Select, Stack, Text, TextInput } from "@mantine/core";
import { CLAIM_SOURCES, isoInstant, type Claim, type ClaimSource } from "../../../../shared/ledger/geoEvents.js";
import { inertText } from "../../../../shared/text/inertText.js";
import { CoordinateField } from "./CoordinateField.js";
import { claimFieldId, type FieldProblems } from "./formChecks.js";
import { CLAIM_SOURCE_LABELS } from "./geoLabels.js";
import { entryStyle } from "./PointEntry.js";

export function ClaimsEditor({
  formId,
  claims,
  onChange,
  problems,
  onCoordinateProblem,
}: {
  /** Tells this form's claim fields from another's on the same page. */
  formId: string;
  claims: Claim[];
  onChange: (claims: Claim[]) => void;
  problems: FieldProblems;
  onCoordinateProblem: (field: string, reason: string | null) => void;
}) {
  const id = (i: number, part: Parameters<typeof claimFieldId>[2]) => claimFieldId(formId, i, part);
  const set = (i: number, patch: Partial<Claim>) => onChange(claims.map((c, j) => (j === i ? { ...c, ...patch } : c)));
  return (
    <Stack gap="xs" aria-label="Claims">
      {claims.length === 0 && (
        <Text size="xs" c="dimmed">
          No claims yet: the file's metadata says nothing about where or when.
        </Text>
      )}
      {claims.map((c, i) => (
        <Box key={i} p={6} style={entryStyle}>
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
            id={id(i, "detail")}
            error={problems.get(id(i, "detail"))}
            label="In their words (channel, caption, tag)"
            value={c.detail}
            onChange={(e) => set(i, { detail: e.currentTarget.value })}
          />
          <TextInput
            size="xs"
            id={id(i, "placeName")}
            error={problems.get(id(i, "placeName"))}
            label="Place they name"
            value={c.placeName ?? ""}
            onChange={(e) => set(i, { placeName: e.currentTarget.value || null })}
          />
          <ClaimTime claim={c} index={i} id={id(i, "time")} onChange={(time) => set(i, { time })} />
          <CoordinateField
            size="xs"
            id={id(i, "location")}
            onProblem={onCoordinateProblem}
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

function ClaimTime({
  claim,
  index,
  id,
  onChange,
}: {
  claim: Claim;
  index: number;
  id: string;
  onChange: (t: string | null) => void;
}) {
  const valid = claim.time === null || isoInstant.safeParse(claim.time).success;
  return (
    <TextInput
      size="xs"
      id={id}
      label={`Claim ${index + 1} time`}
      description="ISO 8601 with its offset, e.g. 2026-02-16T09:12:00Z"
      value={claim.time ?? ""}
      onChange={(e) => onChange(e.currentTarget.value.trim() || null)}
      error={valid ? undefined : inertText("a time is ISO 8601 with its offset (Z or +01:00)")}
      classNames={{ input: "mono" }}
    />
  );
}
