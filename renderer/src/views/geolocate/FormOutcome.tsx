/**
 * The end of a where-and-when form: what became of its last save (the one-line reason it was
 * refused, or what was recorded) and the button that saves it, with what a save does beside it.
 */
import { Alert, Button, Group, Text } from "@mantine/core";
import { inertText } from "../../../../shared/text/inertText.js";

export function FormOutcome({ problem, notice }: { problem: string | null; notice: string | null }) {
  return (
    <>
      {problem && (
        <Alert color="red" role="alert" p="xs">
          {inertText(problem)}
        </Alert>
      )}
      {notice && (
        <Alert color="teal" role="status" p="xs">
          {inertText(notice)}
        </Alert>
      )}
    </>
  );
}

/** A form's outcome and its save button; `hint`, when given, says beside the button what a save does. */
export function FormSave({
  problem,
  notice,
  label,
  onSave,
  isSaving = false,
  hint,
}: {
  problem: string | null;
  notice: string | null;
  label: string;
  onSave: () => void;
  isSaving?: boolean;
  hint?: string;
}) {
  return (
    <>
      <FormOutcome problem={problem} notice={notice} />
      <Group justify={hint ? "space-between" : "flex-end"}>
        {hint && (
          <Text size="xs" c="dimmed">
            {hint}
          </Text>
        )}
        <Button onClick={onSave} loading={isSaving}>
          {label}
        </Button>
      </Group>
    </>
  );
}

/** What a save recorded: its event, and the record it revises, if any. */
export function recordedNotice(seq: number, revised: { ref: { seq: number } } | null): string {
  return `Recorded as event #${seq}${revised ? `, a revision of #${revised.ref.seq}` : ""}.`;
}
