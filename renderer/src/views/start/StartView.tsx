/**
 * Start: create a case, open a case folder or a bundle, start a training exercise, or pick a
 * recent case. The new-case form and the recent list are in this folder.
 */
import {
  Alert,
  Button,
  Card,
  Container,
  Group,
  Loader,
  SimpleGrid,
  Stack,
  Text,
  TextInput,
  Title,
} from "@mantine/core";
import { useRef, useState } from "react";
import type { ApiClient } from "../../../api/apiClient.js";
import type { CaseSummary } from "../../../../shared/api/contract.js";
import { inertText } from "../../../../shared/text/inertText.js";
import { OpenBundleCard } from "../exchange/BundleDialog.js";
import { TrainingStartCard } from "../training/ExerciseStartDialog.js";
import { NewCaseCard } from "./NewCaseCard.js";
import { RecentCases, type RecentCase } from "./RecentCases.js";

export function StartView({ client, onOpen }: { client: ApiClient; onOpen: (s: CaseSummary) => void }) {
  const [openDir, setOpenDir] = useState("");
  const [error, setError] = useState<string | null>(null);
  /** The folder being opened: a large case opened for the first time is read in full first. */
  const [opening, setOpening] = useState<string | null>(null);
  // Read at once, not at the next render: two presses in one moment (a click and Enter) open once.
  const isOpening = useRef(false);
  const recent = JSON.parse(localStorage.getItem("sightline-recent") ?? "[]") as RecentCase[];

  const open = async (target: string) => {
    if (isOpening.current) return;
    isOpening.current = true;
    setError(null);
    setOpening(target);
    try {
      const result = await client.api.openCase({ dir: target });
      if (!result.ok) return setError(result.error.message);
      onOpen(result.value);
    } finally {
      isOpening.current = false;
      setOpening(null);
    }
  };

  return (
    <Container size="lg" py="xl">
      <Stack gap="lg">
        <div>
          <Title order={2}>Cases</Title>
          <Text c="dimmed" size="sm">
            Each case is a folder: originals stored once under their SHA-256, and a signed ledger of everything done to
            them.
          </Text>
          {/* Always in the page, empty until a case is opening: screen readers announce what is put
              into a live region, not one inserted with its words already in it. */}
          <div role="status">
            {opening !== null && (
              <Alert color="blue" title="Opening the case" role="group" icon={<Loader size="sm" />} mt="lg">
                <Text size="sm" className="mono">
                  {inertText(opening)}
                </Text>
                <Text size="sm">
                  A case opened for the first time here is read in full first: for tens of thousands of items this can
                  take a minute.
                </Text>
              </Alert>
            )}
          </div>
        </div>
        {error && (
          <Alert color="red" title="That did not work" role="alert" withCloseButton onClose={() => setError(null)}>
            {inertText(error)}
          </Alert>
        )}
        <SimpleGrid cols={{ base: 1, md: 2 }} spacing="lg">
          <NewCaseCard client={client} onOpen={onOpen} onError={setError} />
          <Stack gap="lg">
            <Card withBorder padding="lg" aria-label="Open case">
              <Stack gap="sm">
                <Title order={3} size="h4">
                  Open a case folder
                </Title>
                <Group align="flex-end" wrap="nowrap">
                  <TextInput
                    label="Case folder"
                    value={openDir}
                    onChange={(e) => setOpenDir(e.currentTarget.value)}
                    classNames={{ input: "mono" }}
                    style={{ flex: 1 }}
                  />
                  <Button
                    variant="light"
                    onClick={() => void open(openDir)}
                    disabled={!openDir || opening !== null}
                    loading={opening === openDir}
                  >
                    Open
                  </Button>
                </Group>
              </Stack>
            </Card>
            <OpenBundleCard client={client} onOpen={onOpen} />
            <TrainingStartCard client={client} onOpen={onOpen} />
            <RecentCases recent={recent} onOpen={(dir) => void open(dir)} />
          </Stack>
        </SimpleGrid>
      </Stack>
    </Container>
  );
}
