/** One labelled row of an item's facts table, and how a value the record lacks is shown. */
import { Table, Text } from "@mantine/core";

export function Field({ label, children }: { label: string; children: React.ReactNode }) {
  return (
    <Table.Tr>
      <Table.Th w={130} style={{ verticalAlign: "top", fontWeight: 500 }}>
        <Text size="xs" c="dimmed">
          {label}
        </Text>
      </Table.Th>
      <Table.Td>{children}</Table.Td>
    </Table.Tr>
  );
}

/**
 * A value the file or the record does not give: italic, dimmed and in brackets, so it never
 * reads as a value someone entered ("(not given at import)", never a bare "—").
 */
export function NotGiven({ children, inline = false }: { children: React.ReactNode; inline?: boolean }) {
  return (
    <Text span={inline} size={inline ? "xs" : "sm"} c="dimmed" fs="italic" data-missing="">
      ({children})
    </Text>
  );
}
