/**
 * One numbered entry of the lists of points a verifier marks (clues, shadows): a named group with
 * what the thing is and a button to remove it, then rows that each ask for points on the frame or
 * the map and say what is marked so far. A reason the form refuses is shown next to its control
 * and named as its description, so a screen reader says it when focus lands there.
 */
import { ActionIcon, Box, Button, Group, Text, TextInput } from "@mantine/core";
import type { ReactNode } from "react";
import { inertText } from "../../../../shared/text/inertText.js";

export const entryStyle: React.CSSProperties = {
  border: "1px solid var(--mantine-color-default-border)",
  borderRadius: 4,
};

export function PointEntry({
  name,
  number,
  whatLabel,
  placeholder,
  what,
  whatId,
  whatError,
  onWhat,
  onRemove,
  children,
}: {
  /** The group's name, "Clue 2"; also the start of the remove button's name. */
  name: string;
  /** Shown beside the name field when the same number marks the point on the frame and map. */
  number?: number;
  whatLabel: string;
  placeholder: string;
  what: string;
  whatId?: string;
  whatError?: string | null;
  onWhat: (what: string) => void;
  onRemove: () => void;
  children: ReactNode;
}) {
  return (
    <Box p={6} style={entryStyle} aria-label={name} role="group">
      <Group gap="xs" align="flex-start" wrap="nowrap">
        {number !== undefined && (
          <Text fw={700} size="sm" w={20} mt={24} ta="center" aria-hidden>
            {number}
          </Text>
        )}
        <TextInput
          size="xs"
          id={whatId}
          label={whatLabel}
          placeholder={placeholder}
          value={what}
          onChange={(e) => onWhat(e.currentTarget.value)}
          error={whatError ? inertText(whatError) : undefined}
          style={{ flex: 1 }}
        />
        <ActionIcon
          variant="subtle"
          color="red"
          mt={22}
          aria-label={`Remove ${name.charAt(0).toLowerCase()}${name.slice(1)}`}
          onClick={onRemove}
        >
          ✕
        </ActionIcon>
      </Group>
      {children}
    </Box>
  );
}

/** A button that asks for a point (or a series of them), and what it holds, or why it is refused. */
export function PointRow({
  action,
  onMark,
  status,
  isMissing,
  id,
  error,
  isMono = true,
}: {
  action: string;
  onMark: () => void;
  status: string;
  isMissing: boolean;
  /** The button's id, for the form to move focus to it when the point is missing. */
  id?: string;
  error?: string | null;
  isMono?: boolean;
}) {
  const errorId = id && error ? `${id}-error` : undefined;
  return (
    <>
      <Group gap="xs" mt={4} wrap="nowrap">
        <Button
          size="compact-xs"
          variant="default"
          id={id}
          onClick={onMark}
          aria-describedby={errorId}
          aria-invalid={error ? true : undefined}
        >
          {action}
        </Button>
        <Text
          size="xs"
          c={isMissing ? "orange" : isMono ? undefined : "dimmed"}
          className={isMono ? "mono" : undefined}
        >
          {status}
        </Text>
      </Group>
      {error && (
        <Text size="xs" c="var(--mantine-color-error)" id={errorId}>
          {inertText(error)}
        </Text>
      )}
    </>
  );
}
