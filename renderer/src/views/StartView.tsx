/** Start: create a case, open a case folder, or pick a recent one. */
import {
  Alert,
  Button,
  Card,
  Checkbox,
  Container,
  Group,
  SimpleGrid,
  Stack,
  Text,
  TextInput,
  Title,
} from "@mantine/core";
import { useState, type FormEvent } from "react";
import type { ApiClient } from "../../api/apiClient.js";
import type { CaseSummary } from "../../../shared/api/contract.js";
import type { HashAlgorithm } from "../../../shared/ledger/events.js";
import { inertText } from "../../../shared/text/inertText.js";
import { OpenBundleCard } from "./exchange/BundleDialog.js";
import { TrainingStartCard } from "./training/ExerciseStartDialog.js";

export function StartView({ client, onOpen }: { client: ApiClient; onOpen: (s: CaseSummary) => void }) {
  const [title, setTitle] = useState("");
  const [examiner, setExaminer] = useState(localStorage.getItem("sightline-examiner") ?? "");
  const [dir, setDir] = useState("");
  const [md5, setMd5] = useState(false);
  const [sha1, setSha1] = useState(false);
  const [openDir, setOpenDir] = useState("");
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const recent = JSON.parse(localStorage.getItem("sightline-recent") ?? "[]") as { dir: string; title: string }[];

  const create = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    const hashAlgorithms: HashAlgorithm[] = [...(md5 ? (["md5"] as const) : []), ...(sha1 ? (["sha1"] as const) : [])];
    const result = await client.api.createCase({ dir, title, examiner, hashAlgorithms });
    setBusy(false);
    if (!result.ok) return setError(result.error.message);
    localStorage.setItem("sightline-examiner", examiner);
    onOpen(result.value);
  };

  const open = async (target: string) => {
    setError(null);
    const result = await client.api.openCase({ dir: target });
    if (!result.ok) return setError(result.error.message);
    onOpen(result.value);
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
        </div>
        {error && (
          <Alert color="red" title="That did not work" role="alert" withCloseButton onClose={() => setError(null)}>
            {inertText(error)}
          </Alert>
        )}
        <SimpleGrid cols={{ base: 1, md: 2 }} spacing="lg">
          <Card withBorder padding="lg" component="form" onSubmit={create} aria-label="New case">
            <Stack gap="sm">
              <Title order={3} size="h4">
                New case
              </Title>
              <TextInput label="Title" required value={title} onChange={(e) => setTitle(e.currentTarget.value)} />
              <TextInput
                label="Examiner"
                description="Your name, as it will appear on every ledger event you sign"
                required
                value={examiner}
                onChange={(e) => setExaminer(e.currentTarget.value)}
              />
              <TextInput
                label="Case folder"
                description="A new, empty folder on this computer"
                required
                value={dir}
                onChange={(e) => setDir(e.currentTarget.value)}
                classNames={{ input: "mono" }}
              />
              <Group gap="lg">
                <Text size="sm">Hashes</Text>
                <Checkbox label="SHA-256" checked disabled aria-describedby="sha256-always" />
                <Checkbox label="MD5" checked={md5} onChange={(e) => setMd5(e.currentTarget.checked)} />
                <Checkbox label="SHA-1" checked={sha1} onChange={(e) => setSha1(e.currentTarget.checked)} />
              </Group>
              <Text id="sha256-always" size="xs" c="dimmed">
                SHA-256 is always recorded; MD5 and SHA-1 come from the same read, for tools and courts that quote them.
              </Text>
              <Group justify="flex-end">
                <Button type="submit" loading={busy}>
                  Create case
                </Button>
              </Group>
            </Stack>
          </Card>
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
                  <Button variant="light" onClick={() => void open(openDir)} disabled={!openDir}>
                    Open
                  </Button>
                </Group>
              </Stack>
            </Card>
            <OpenBundleCard client={client} onOpen={onOpen} />
            <TrainingStartCard client={client} onOpen={onOpen} />
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
                  <Button key={r.dir} variant="subtle" justify="space-between" onClick={() => void open(r.dir)}>
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
          </Stack>
        </SimpleGrid>
      </Stack>
    </Container>
  );
}
