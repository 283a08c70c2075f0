/** One labelled row of an item's facts table. */
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
