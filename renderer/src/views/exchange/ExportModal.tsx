/** The frame of an export dialog: what the export writes, said first, then its own controls. */
import { Stack, Text } from "@mantine/core";
import type { ReactNode } from "react";
import { AppModal } from "../../components/AppModal.js";

export function ExportModal({
  opened,
  onClose,
  title,
  closeLabel,
  intro,
  children,
}: {
  opened: boolean;
  onClose: () => void;
  title: string;
  closeLabel: string;
  intro: string;
  children: ReactNode;
}) {
  return (
    <AppModal opened={opened} onClose={onClose} title={title} size="lg" closeLabel={closeLabel}>
      <Stack gap="sm">
        <Text size="sm">{intro}</Text>
        {children}
      </Stack>
    </AppModal>
  );
}
