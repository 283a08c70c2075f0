/** The start page's list of cases opened before in this browser, each opened with one click. */
import { Button, Card, Stack, Text, Title } from "@mantine/core";
import { inertText } from "../../../../shared/text/inertText.js";

/** A case as the recent list keeps it (in localStorage, "sightline-recent"). */
export interface RecentCase {
  dir: string;
  title: string;
}

export function RecentCases({ recent, onOpen }: { recent: RecentCase[]; onOpen: (dir: string) => void }) {
  return (
    <Card withBorder padding="lg" aria-label="Recent cases">
      <Title order={3} size="h4" mb="sm">
        Recent
      </Title>
      {recent.length === 0 && (
        <Text c="dimmed" size="sm">
          Cases you open appear here.
        </Text>
      )}
      <Stack gap={4}>
        {recent.map((r) => (
          <Button key={r.dir} variant="subtle" justify="space-between" onClick={() => onOpen(r.dir)}>
            <Text size="sm" fw={600} truncate>
              {inertText(r.title)}
            </Text>
            <Text size="xs" c="dimmed" className="mono" truncate ml="md">
              {inertText(r.dir)}
            </Text>
          </Button>
        ))}
      </Stack>
    </Card>
  );
}
