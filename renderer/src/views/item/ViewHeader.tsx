/**
 * The bar atop an item's screens: a way back, the title (text from files, shown inert), and the
 * screen's own controls. The title takes the keyboard focus when the screen opens or shows another
 * item, so a screen reader says where the reader now is and Tab starts from the top of it.
 */
import { ActionIcon, Group, Text, Title } from "@mantine/core";
import { useEffect, useRef, type ReactNode } from "react";
import { inertText } from "../../../../shared/text/inertText.js";

export function ViewHeader({
  backLabel,
  onBack,
  title,
  badges,
  children,
}: {
  backLabel: string;
  onBack: () => void;
  title: string;
  /** Shown beside the title. */
  badges?: ReactNode;
  /** The screen's controls, at the right. */
  children?: ReactNode;
}) {
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => heading.current?.focus({ preventScroll: true }), [title]);
  return (
    <Group
      px="md"
      py="xs"
      justify="space-between"
      wrap="nowrap"
      style={{ borderBottom: "1px solid var(--mantine-color-default-border)" }}
    >
      <Group gap="sm" wrap="nowrap" className="view-header-title" style={{ minWidth: 0 }}>
        <ActionIcon variant="subtle" aria-label={backLabel} onClick={onBack}>
          ←
        </ActionIcon>
        <Title order={2} size="h4" ref={heading} tabIndex={-1} className="view-title" style={{ minWidth: 0 }}>
          <Text span inherit truncate>
            {inertText(title)}
          </Text>
        </Title>
        {badges}
      </Group>
      <Group gap="sm" wrap="nowrap" className="view-header-controls" style={{ minWidth: 0 }}>
        {children}
      </Group>
    </Group>
  );
}
