/** The item's review: move its status (with why), its tags, and notes in Markdown; each a signed ledger event. */
import { Box, Button, Group, Select, Stack, TagsInput, Text, Textarea } from "@mantine/core";
import { useState, type RefObject } from "react";
import type { ItemDetail } from "../../../../shared/api/contract.js";
import { STATUS_TRANSITIONS, type ItemStatus } from "../../../../shared/ledger/events.js";
import { statusLabel } from "../../../../shared/text/plainWords.js";
import { formatTime } from "../../../../shared/text/times.js";
import { noteHtml } from "../../components/noteHtml.js";
import type { Connection } from "../../connection.js";

export function ReviewPanel({
  connection,
  dir,
  item,
  noteRef,
  statusRef,
  onError,
}: {
  connection: Connection;
  dir: string;
  item: ItemDetail;
  /** Focused by the `n` and `s` shortcuts. */
  noteRef: RefObject<HTMLTextAreaElement | null>;
  statusRef: RefObject<HTMLInputElement | null>;
  onError: (message: string) => void;
}) {
  const { api } = connection.client;
  const { sha256 } = item;
  const [note, setNote] = useState("");
  const [nextStatus, setNextStatus] = useState<ItemStatus | null>(null);
  const [reason, setReason] = useState("");

  const submitNote = async () => {
    const result = await api.addNote({ dir, sha256, text: note });
    if (!result.ok) return onError(result.error.message);
    setNote("");
  };
  const submitStatus = async () => {
    if (!nextStatus) return;
    const result = await api.changeStatus({ dir, sha256, to: nextStatus, reason });
    if (!result.ok) return onError(result.error.message);
    setReason("");
    setNextStatus(null);
  };
  const setTags = async (tags: string[]) => {
    const add = tags.filter((t) => !item.tags.includes(t));
    const remove = item.tags.filter((t) => !tags.includes(t));
    if (add.length === 0 && remove.length === 0) return;
    const result = await api.changeTags({ dir, sha256, add, remove });
    if (!result.ok) onError(result.error.message);
  };

  return (
    <Stack gap="sm">
      <Group align="flex-end" gap="xs" wrap="nowrap">
        <Select
          ref={statusRef}
          label="Move to"
          placeholder="Choose a status"
          data={STATUS_TRANSITIONS[item.status].map((s) => ({ value: s, label: statusLabel(s) }))}
          value={nextStatus}
          onChange={(v) => setNextStatus(v as ItemStatus | null)}
          w={150}
        />
        <Textarea
          label="Why"
          autosize
          minRows={1}
          value={reason}
          onChange={(e) => setReason(e.currentTarget.value)}
          style={{ flex: 1 }}
        />
        <Button onClick={() => void submitStatus()} disabled={!nextStatus || !reason.trim()}>
          Record
        </Button>
      </Group>
      <TagsInput
        label="Tags"
        value={item.tags}
        onChange={(tags) => void setTags(tags)}
        placeholder="add a tag and press Enter"
      />
      <Textarea
        ref={noteRef}
        label="Add a note (Markdown)"
        description="Ctrl+Enter adds it"
        onKeyDown={(e) => {
          if (e.key === "Enter" && (e.ctrlKey || e.metaKey) && note.trim()) void submitNote();
        }}
        autosize
        minRows={2}
        value={note}
        onChange={(e) => setNote(e.currentTarget.value)}
      />
      <Group justify="flex-end">
        <Button size="xs" onClick={() => void submitNote()} disabled={!note.trim()}>
          Add note
        </Button>
      </Group>
      {[...item.notes].reverse().map((n) => (
        <Box key={n.seq} p="xs" style={{ border: "1px solid var(--mantine-color-default-border)", borderRadius: 4 }}>
          <Text size="xs" c="dimmed" mb={4} className="mono">
            #{n.seq} · {formatTime(n.ts)}
          </Text>
          <div className="note" dangerouslySetInnerHTML={{ __html: noteHtml(n.text) }} />
        </Box>
      ))}
    </Stack>
  );
}
