/**
 * The answers of a sample being authored: where items were made (a place typed in any notation,
 * with a tolerance), when (a window of instants with their offsets, with a tolerance in minutes),
 * and the traps (their kind, the statuses, keywords and acknowledged warnings that count as
 * catching them). Each answer
 * is about one of the items chosen for the sample; problems are shown beside their fields.
 */
import {
  ActionIcon,
  Button,
  Group,
  MultiSelect,
  NumberInput,
  Paper,
  Select,
  Stack,
  Text,
  TextInput,
  Textarea,
  Title,
} from "@mantine/core";
import type { ReactNode } from "react";
import { ITEM_STATUSES, type ItemStatus } from "../../../../shared/ledger/events.js";
import { WARNING_CODES, type WarningCode } from "../../../../shared/media/metadata.js";
import { TRAP_KINDS, TRAP_WARNINGS, type TrapKind } from "../../../../shared/training/sampleFormat.js";
import { inertText } from "../../../../shared/text/inertText.js";
import { statusLabel, warningTitle } from "../../../../shared/text/plainWords.js";
import { CoordinateField } from "../geolocate/CoordinateField.js";
import type { LocationDraft, SampleDraft, TimeDraft, TrapDraft } from "./authorDraft.js";
import { TRAP_KIND_WORDS } from "./trainingText.js";

type Patch = (change: (d: SampleDraft) => SampleDraft) => void;
type ItemChoice = { value: string; label: string };

function replaceAt<T>(list: T[], i: number, value: Partial<T>): T[] {
  return list.map((x, j) => (j === i ? { ...x, ...value } : x));
}

/**
 * One kind of answer (locations, times, traps): a card per answer with its own fields, the
 * explanation every answer carries, a button to remove it, and one to add another.
 */
function AnswerSection<T extends { explanation: string }>({
  title,
  noun,
  part,
  list,
  explainLabel,
  problemOf,
  onChange,
  blank,
  children,
}: {
  title: string;
  /** "Location answer": each card is "Location answer 1", … */
  noun: string;
  /** The draft's key of the list, for the problems' keys. */
  part: string;
  list: T[];
  explainLabel: string;
  problemOf: (key: string) => string | undefined;
  onChange: (list: T[]) => void;
  blank: () => T;
  children: (answer: T, i: number, set: (v: Partial<T>) => void) => ReactNode;
}) {
  return (
    <Stack gap="xs">
      <Title order={3} size="h5">
        {title}
      </Title>
      {list.map((a, i) => {
        const label = `${noun} ${i + 1}`;
        const set = (v: Partial<T>) => onChange(replaceAt(list, i, v));
        return (
          <Paper key={i} withBorder p="sm" radius="sm" role="group" aria-label={label}>
            <Group justify="space-between" mb={4}>
              <Text size="sm" fw={600}>
                {label}
              </Text>
              <ActionIcon
                variant="subtle"
                color="red"
                aria-label={`Remove ${label.toLowerCase()}`}
                onClick={() => onChange(list.filter((_, j) => j !== i))}
              >
                ✕
              </ActionIcon>
            </Group>
            <Stack gap="xs">
              {children(a, i, set)}
              <Textarea
                size="xs"
                label={`${label}: ${explainLabel}`}
                autosize
                minRows={2}
                value={a.explanation}
                onChange={(e) => set({ explanation: e.currentTarget.value } as Partial<T>)}
                error={problemOf(`${part}.${i}.explanation`)}
              />
            </Stack>
          </Paper>
        );
      })}
      <Group>
        <Button size="xs" variant="light" onClick={() => onChange([...list, blank()])}>
          Add a {noun.toLowerCase()}
        </Button>
      </Group>
    </Stack>
  );
}

export function AuthorAnswers({
  draft,
  patch,
  items,
  problemOf,
}: {
  draft: SampleDraft;
  patch: Patch;
  /** The items chosen for the sample, as the answers' item lists offer them. */
  items: ItemChoice[];
  problemOf: (key: string) => string | undefined;
}) {
  const first = items[0]?.value ?? null;
  const itemSelect = (label: string, key: string, value: string | null, onChange: (v: string | null) => void) => (
    <Select
      size="xs"
      label={label}
      data={items}
      value={value}
      onChange={onChange}
      error={problemOf(key)}
      allowDeselect={false}
      placeholder={items.length === 0 ? "Choose items for the sample first" : undefined}
    />
  );

  return (
    <Stack gap="md">
      <AnswerSection<LocationDraft>
        title="Where (locations)"
        noun="Location answer"
        part="locations"
        list={draft.locations}
        explainLabel="what a verifier should match"
        problemOf={problemOf}
        onChange={(locations) => patch((d) => ({ ...d, locations }))}
        blank={() => ({ sha256: first, place: null, toleranceM: 500, explanation: "" })}
      >
        {(l, i, set) => (
          <>
            {itemSelect(`Location answer ${i + 1}: item`, `locations.${i}.sha256`, l.sha256, (v) => set({ sha256: v }))}
            <Group grow align="flex-start">
              <CoordinateField
                size="xs"
                label={`Location answer ${i + 1}: true place`}
                value={l.place}
                onChange={(p) => set({ place: p })}
                error={problemOf(`locations.${i}.place`) ?? null}
              />
              <NumberInput
                size="xs"
                label={`Location answer ${i + 1}: tolerance (metres)`}
                description="An answer this close counts as right"
                min={1}
                value={l.toleranceM}
                onChange={(v) => set({ toleranceM: v })}
                error={problemOf(`locations.${i}.toleranceM`)}
              />
            </Group>
          </>
        )}
      </AnswerSection>

      <AnswerSection<TimeDraft>
        title="When (time windows)"
        noun="Time answer"
        part="times"
        list={draft.times}
        explainLabel="how it is found"
        problemOf={problemOf}
        onChange={(times) => patch((d) => ({ ...d, times }))}
        blank={() => ({ sha256: first, from: "", to: "", toleranceMinutes: 30, explanation: "" })}
      >
        {(t, i, set) => (
          <>
            {itemSelect(`Time answer ${i + 1}: item`, `times.${i}.sha256`, t.sha256, (v) => set({ sha256: v }))}
            <Group grow align="flex-start">
              <TextInput
                size="xs"
                label={`Time answer ${i + 1}: window starts`}
                description="ISO 8601 with its offset, e.g. 2026-02-16T09:00Z"
                value={t.from}
                onChange={(e) => set({ from: e.currentTarget.value })}
                error={problemOf(`times.${i}.window.from`) ?? problemOf(`times.${i}.window`)}
                classNames={{ input: "mono" }}
              />
              <TextInput
                size="xs"
                label={`Time answer ${i + 1}: window ends`}
                description="The window's end, with its offset"
                value={t.to}
                onChange={(e) => set({ to: e.currentTarget.value })}
                error={problemOf(`times.${i}.window.to`)}
                classNames={{ input: "mono" }}
              />
              <NumberInput
                size="xs"
                label={`Time answer ${i + 1}: tolerance (minutes)`}
                description="How far outside still counts"
                min={0}
                value={t.toleranceMinutes}
                onChange={(v) => set({ toleranceMinutes: v })}
                error={problemOf(`times.${i}.toleranceMinutes`)}
              />
            </Group>
          </>
        )}
      </AnswerSection>

      <AnswerSection<TrapDraft>
        title="Traps"
        noun="Trap"
        part="traps"
        list={draft.traps}
        explainLabel="explanation"
        problemOf={problemOf}
        onChange={(traps) => patch((d) => ({ ...d, traps }))}
        blank={() => ({
          id: `trap-${draft.traps.length + 1}`,
          sha256: first,
          kind: "other",
          title: "",
          explanation: "",
          statuses: ["disputed"],
          keywords: "",
          warnings: [...TRAP_WARNINGS.other],
        })}
      >
        {(t, i, set) => (
          <>
            <Group grow align="flex-start">
              {itemSelect(`Trap ${i + 1}: item`, `traps.${i}.sha256`, t.sha256, (v) => set({ sha256: v }))}
              <Select
                size="xs"
                label={`Trap ${i + 1}: kind`}
                data={TRAP_KINDS.map((k) => ({ value: k, label: TRAP_KIND_WORDS[k] ?? k }))}
                value={t.kind}
                allowDeselect={false}
                onChange={(v) => v && set(kindChange(t, v as TrapKind))}
              />
              <TextInput
                size="xs"
                label={`Trap ${i + 1}: id`}
                description="Lower-case letters, digits and '-'"
                value={t.id}
                onChange={(e) => set({ id: e.currentTarget.value })}
                error={problemOf(`traps.${i}.id`)}
                classNames={{ input: "mono" }}
              />
            </Group>
            <TextInput
              size="xs"
              label={`Trap ${i + 1}: title`}
              value={t.title}
              onChange={(e) => set({ title: e.currentTarget.value })}
              error={problemOf(`traps.${i}.title`)}
            />
            <Group grow align="flex-start">
              <MultiSelect
                size="xs"
                label={`Trap ${i + 1}: statuses that catch it`}
                data={ITEM_STATUSES.map((s) => ({ value: s, label: statusLabel(s) }))}
                value={t.statuses}
                onChange={(v) => set({ statuses: v as ItemStatus[] })}
                error={problemOf(`traps.${i}.statuses`)}
              />
              <TextInput
                size="xs"
                label={`Trap ${i + 1}: keywords that catch it`}
                description="In a note or tag on the item; separated by commas"
                value={t.keywords}
                onChange={(e) => set({ keywords: e.currentTarget.value })}
                error={problemOf(`traps.${i}.keywords`)}
              />
            </Group>
            <MultiSelect
              size="xs"
              label={`Trap ${i + 1}: warnings whose acknowledgement catches it`}
              description="A trainee who acknowledges one of these warnings on the item, with a remark, has caught the trap"
              data={WARNING_CODES.map((c) => ({ value: c, label: warningTitle(c) }))}
              value={t.warnings}
              onChange={(v) => set({ warnings: v as WarningCode[] })}
              error={problemOf(`traps.${i}.warnings`)}
              searchable
            />
          </>
        )}
      </AnswerSection>
    </Stack>
  );
}

/** A new kind brings its own warnings, unless the trainer already chose others than the old kind's. */
function kindChange(trap: TrapDraft, kind: TrapKind): Partial<TrapDraft> {
  const old = TRAP_WARNINGS[trap.kind];
  const isDefault = trap.warnings.length === old.length && old.every((w) => trap.warnings.includes(w));
  return isDefault ? { kind, warnings: [...TRAP_WARNINGS[kind]] } : { kind };
}

/** The items offered to the answers: those chosen for the sample, by name (shown inert). */
export function itemChoices(chosen: string[], names: Map<string, string>): ItemChoice[] {
  return chosen.map((sha) => ({ value: sha, label: `${inertText(names.get(sha) ?? sha.slice(0, 12))}` }));
}
