/**
 * Authoring a training sample from any case (the board's "Author a training sample…"): choose the
 * items, write the briefing and the staged hints, set the answers and the model answer, and say
 * where to write the package. The draft is checked as it is typed against the same schema the
 * service applies; each problem is said beside its field once the field was touched (all of
 * them when writing is tried), and listed above the button. See docs/TRAINING.md.
 */
import {
  ActionIcon,
  Alert,
  Button,
  Checkbox,
  Code,
  Divider,
  Group,
  List,
  NumberInput,
  Paper,
  ScrollArea,
  SimpleGrid,
  Stack,
  Text,
  TextInput,
  Textarea,
} from "@mantine/core";
import { useEffect, useMemo, useState } from "react";
import type { ItemSummary } from "../../../../shared/api/contract.js";
import type { AuthoredSample } from "../../../../shared/api/trainingContract.js";
import { inertText } from "../../../../shared/text/inertText.js";
import { formatBytes } from "../../../../shared/text/units.js";
import type { Connection } from "../../connection.js";
import { AuthorAnswers, itemChoices } from "./AuthorAnswers.js";
import { EMPTY_DRAFT, checkDraft, whereWords, type SampleDraft } from "./authorDraft.js";
import { AppModal } from "../../components/AppModal.js";

export function AuthorSampleDialog({
  connection,
  dir,
  opened,
  onClose,
}: {
  connection: Connection;
  dir: string;
  opened: boolean;
  onClose: () => void;
}) {
  const { api } = connection.client;
  const [items, setItems] = useState<ItemSummary[] | null>(null);
  const [draft, setDraft] = useState<SampleDraft>(EMPTY_DRAFT);
  const [touched, setTouched] = useState<Set<string>>(new Set());
  const [isTried, setIsTried] = useState(false);
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);
  const [written, setWritten] = useState<AuthoredSample | null>(null);

  useEffect(() => {
    if (!opened) return;
    let alive = true;
    setWritten(null);
    setProblem(null);
    void api.listItems({ dir }).then((r) => {
      if (!alive) return;
      if (r.ok) setItems(r.value);
      else setProblem(r.error.message);
    });
    return () => {
      alive = false;
    };
  }, [opened, api, dir]);

  const { problems, input } = useMemo(() => checkDraft(dir, draft), [dir, draft]);
  const names = useMemo(() => new Map((items ?? []).map((i) => [i.sha256, i.name])), [items]);
  const shown = (key: string) => isTried || [...touched].some((t) => key === t || key.startsWith(`${t}.`));
  const problemOf = (key: string) => (shown(key) && problems[key] ? inertText(problems[key]) : undefined);
  // Every change marks the fields it touched (by comparing the draft's parts), so their problems show.
  const patch = (change: (d: SampleDraft) => SampleDraft) => {
    const next = change(draft);
    const marks = new Set(touched);
    for (const k of Object.keys(next) as (keyof SampleDraft)[]) {
      if (next[k] === draft[k]) continue;
      const [a, b] = [next[k], draft[k]];
      if (Array.isArray(a) && Array.isArray(b) && k !== "items") {
        a.forEach((x, i) => x !== b[i] && marks.add(`${k}.${i}`));
      } else marks.add(k === "task" || k === "claims" || k === "timeAllowedMinutes" ? `briefing.${k}` : k);
    }
    setTouched(marks);
    setDraft(next);
  };
  const set = <K extends keyof SampleDraft>(k: K, v: SampleDraft[K]) => patch((d) => ({ ...d, [k]: v }));

  /** The sample's title, id and package file: required one-line fields (id and file in monospace). */
  const headField = (k: "title" | "id" | "out", label: string, description?: string) => (
    <TextInput
      label={label}
      description={description}
      required
      value={draft[k]}
      onChange={(e) => set(k, e.currentTarget.value)}
      error={problemOf(k)}
      classNames={k === "title" ? undefined : { input: "mono" }}
    />
  );

  const write = async () => {
    setIsTried(true);
    setProblem(null);
    if (Object.keys(problems).length > 0) return;
    setBusy(true);
    const r = await api.authorSample(input as Parameters<typeof api.authorSample>[0]);
    setBusy(false);
    if (!r.ok) return setProblem(r.error.message);
    setWritten(r.value);
  };

  const listed = Object.entries(problems).filter(([k]) => shown(k));
  return (
    <AppModal
      opened={opened}
      onClose={onClose}
      title="Author a training sample"
      size="min(1100px, 96vw)"
      closeLabel="Close the sample author"
    >
      {/* The form says what is wrong itself, beside each field; the browser's bubbles would hide that. */}
      <form
        noValidate
        aria-label="Sample to author"
        onSubmit={(e) => {
          e.preventDefault();
          void write();
        }}
      >
        <Stack gap="md">
          <Text size="sm" c="dimmed">
            The chosen items&apos; original bytes, the briefing, the hints and a separate answer key are packed into one
            file another trainer can run as an exercise. The case records that it was made.
          </Text>
          <SimpleGrid cols={{ base: 1, md: 3 }}>
            {headField("title", "Title")}
            {headField("id", "Sample id", "Lower-case letters, digits and '-'")}
            {headField("out", "Where to write the package", "A new file ending in .sightline-sample")}
          </SimpleGrid>

          <Checkbox.Group
            label="Items to pack"
            description="Their original bytes go into the package as the trainee's evidence"
            value={draft.items}
            onChange={(v) => set("items", v)}
            error={problemOf("items")}
          >
            <ScrollArea.Autosize mah={180} mt="xs" type="auto">
              <Stack gap={4}>
                {items === null && <Text size="sm">Reading the case&apos;s items…</Text>}
                {(items ?? []).map((i) => (
                  <Checkbox
                    key={i.sha256}
                    value={i.sha256}
                    label={`${inertText(i.name)} (${formatBytes(i.size)}${i.kind ? `, ${i.kind}` : ""})`}
                  />
                ))}
              </Stack>
            </ScrollArea.Autosize>
          </Checkbox.Group>

          <Divider label="Briefing" labelPosition="left" />
          <Textarea
            label="The task"
            required
            autosize
            minRows={3}
            value={draft.task}
            onChange={(e) => set("task", e.currentTarget.value)}
            error={problemOf("briefing.task")}
          />
          <SimpleGrid cols={{ base: 1, md: 2 }}>
            <Textarea
              label="What is claimed"
              description="One claim per line (a caption, an uploader's words)"
              autosize
              minRows={2}
              value={draft.claims}
              onChange={(e) => set("claims", e.currentTarget.value)}
              error={problemOf("briefing.claims")}
            />
            <NumberInput
              label="Time allowed (minutes)"
              description="Leave empty for no limit"
              min={1}
              value={draft.timeAllowedMinutes}
              onChange={(v) => set("timeAllowedMinutes", v)}
              error={problemOf("briefing.timeAllowedMinutes")}
            />
          </SimpleGrid>

          <Divider label="Hints, in the order they open" labelPosition="left" />
          {draft.hints.map((h, i) => (
            <Paper key={i} withBorder p="sm" radius="sm" role="group" aria-label={`Hint ${i + 1}`}>
              <Group align="flex-start" wrap="nowrap">
                <Stack gap="xs" style={{ flex: 1 }}>
                  <TextInput
                    size="xs"
                    label={`Hint ${i + 1}: title`}
                    value={h.title}
                    onChange={(e) => {
                      const title = e.currentTarget.value;
                      patch((d) => ({ ...d, hints: d.hints.map((x, j) => (j === i ? { ...x, title } : x)) }));
                    }}
                    error={problemOf(`hints.${i}.title`)}
                  />
                  <Textarea
                    size="xs"
                    label={`Hint ${i + 1}: text`}
                    autosize
                    minRows={2}
                    value={h.text}
                    onChange={(e) => {
                      const text = e.currentTarget.value;
                      patch((d) => ({ ...d, hints: d.hints.map((x, j) => (j === i ? { ...x, text } : x)) }));
                    }}
                    error={problemOf(`hints.${i}.text`)}
                  />
                </Stack>
                <ActionIcon
                  variant="subtle"
                  color="red"
                  aria-label={`Remove hint ${i + 1}`}
                  onClick={() => patch((d) => ({ ...d, hints: d.hints.filter((_, j) => j !== i) }))}
                >
                  ✕
                </ActionIcon>
              </Group>
            </Paper>
          ))}
          <Group>
            <Button
              size="xs"
              variant="light"
              disabled={draft.hints.length >= 20}
              onClick={() => patch((d) => ({ ...d, hints: [...d.hints, { title: "", text: "" }] }))}
            >
              Add a hint
            </Button>
          </Group>

          <Divider label="Answer key" labelPosition="left" />
          <AuthorAnswers draft={draft} patch={patch} items={itemChoices(draft.items, names)} problemOf={problemOf} />
          <Textarea
            label="Model answer"
            description="Shown to the trainee beside the scorecard, after submission"
            required
            autosize
            minRows={4}
            value={draft.modelAnswer}
            onChange={(e) => set("modelAnswer", e.currentTarget.value)}
            error={problemOf("modelAnswer")}
          />

          {listed.length > 0 && (
            <Alert color="orange" variant="light" title="Not ready to write" role="status">
              <List size="sm" spacing={2}>
                {listed.map(([k, m]) => (
                  <List.Item key={k}>
                    {whereWords(k)}: {inertText(m)}
                  </List.Item>
                ))}
              </List>
            </Alert>
          )}
          {problem && (
            <Alert color="red" role="alert" title="The sample was not written">
              {inertText(problem)}
            </Alert>
          )}
          {written && (
            <Alert color="teal" variant="light" role="status" title="Sample written">
              <Stack gap={2}>
                <Code aria-label="Sample package file">{inertText(written.path)}</Code>
                <Text size="sm">
                  {formatBytes(written.size)}, recorded in this case as ledger event {written.seq}.
                </Text>
                <Text size="xs" className="mono">
                  SHA-256 {written.sha256}
                </Text>
              </Stack>
            </Alert>
          )}
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>
              Close
            </Button>
            <Button type="submit" loading={busy}>
              Write the sample
            </Button>
          </Group>
        </Stack>
      </form>
    </AppModal>
  );
}

/** The board's "Author a training sample…" button and its dialog. */
export function AuthorSampleButton({ connection, dir }: { connection: Connection; dir: string }) {
  const [opened, setOpened] = useState(false);
  return (
    <>
      <Button size="xs" variant="default" onClick={() => setOpened(true)}>
        Author a training sample…
      </Button>
      <AuthorSampleDialog connection={connection} dir={dir} opened={opened} onClose={() => setOpened(false)} />
    </>
  );
}
