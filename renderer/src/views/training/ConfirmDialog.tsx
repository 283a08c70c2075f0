/** A question before a step that cannot be taken back (opening a hint, submitting the work). */
import { Alert, Button, Group, Stack, Text } from "@mantine/core";
import type { ReactNode } from "react";
import { inertText } from "../../../../shared/text/inertText.js";
import { AppModal } from "../../components/AppModal.js";

export function ConfirmDialog({
  opened,
  title,
  children,
  confirmLabel,
  busy,
  problem,
  onConfirm,
  onClose,
}: {
  opened: boolean;
  title: string;
  children: ReactNode;
  confirmLabel: string;
  busy: boolean;
  /** Why the step was refused, in the service's words. */
  problem: string | null;
  onConfirm: () => void;
  onClose: () => void;
}) {
  return (
    <AppModal opened={opened} onClose={onClose} title={title} closeLabel={`Close: ${title}`}>
      <Stack gap="md">
        <Text size="sm" component="div">
          {children}
        </Text>
        {problem && (
          <Alert color="red" role="alert">
            {inertText(problem)}
          </Alert>
        )}
        <Group justify="flex-end">
          <Button variant="default" onClick={onClose}>
            Cancel
          </Button>
          <Button onClick={onConfirm} loading={busy} data-autofocus>
            {confirmLabel}
          </Button>
        </Group>
      </Stack>
    </AppModal>
  );
}
