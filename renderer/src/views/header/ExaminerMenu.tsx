/**
 * The examiner's menu in the header: who is signing (name and key id, the key id wrapped in full
 * with a button that copies it) and the examiner's own settings. A popover (a dialog) rather than
 * an ARIA menu, which may hold only menu items, not a switch or a card of text.
 */
import { Button, Divider, Group, Popover, Switch, Text } from "@mantine/core";
import { useClipboard } from "@mantine/hooks";
import type { ExaminerSettingsInfo } from "../../../../shared/api/contract.js";
import { inertText } from "../../../../shared/text/inertText.js";

function Chevron() {
  return (
    <svg width="10" height="10" viewBox="0 0 10 10" aria-hidden="true" focusable="false">
      <path d="M1.5 3.5 5 7l3.5-3.5" fill="none" stroke="currentColor" strokeWidth="1.5" />
    </svg>
  );
}

export function ExaminerMenu({
  settings,
  onVeil,
}: {
  settings: ExaminerSettingsInfo;
  onVeil: (veil: boolean) => void;
}) {
  const clipboard = useClipboard({ timeout: 2000 });
  const name = inertText(settings.examiner.name);
  return (
    <Popover position="bottom-end" width={340} withinPortal trapFocus returnFocus shadow="md">
      <Popover.Target>
        <Button
          size="xs"
          variant="subtle"
          color="gray"
          rightSection={<Chevron />}
          aria-label={`${name}: examiner settings`}
          aria-haspopup="dialog"
          maw={220}
        >
          {name}
        </Button>
      </Popover.Target>
      <Popover.Dropdown aria-label="Examiner settings" p={0}>
        <div className="examiner-card">
          <Text size="xs" c="dimmed">
            Signing as
          </Text>
          <Text size="sm" fw={600}>
            {name}
          </Text>
          <Text size="xs" c="dimmed" mt={6}>
            Key id
          </Text>
          <Group gap="xs" wrap="nowrap" align="flex-start">
            <Text size="xs" className="mono examiner-key" aria-label="Key id" style={{ flex: 1 }}>
              {settings.examiner.keyId}
            </Text>
            <Button size="compact-xs" variant="default" onClick={() => clipboard.copy(settings.examiner.keyId)}>
              {clipboard.copied ? "Key id copied" : "Copy the key id"}
            </Button>
          </Group>
        </div>
        <Divider />
        <div style={{ padding: "10px 12px 12px" }}>
          <Switch
            label="Veil media by default"
            description="Blurred, greyscale and muted until revealed, in every case you open"
            checked={settings.veilMediaByDefault}
            onChange={(e) => onVeil(e.currentTarget.checked)}
          />
        </div>
      </Popover.Dropdown>
    </Popover>
  );
}
