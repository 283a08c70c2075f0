/** The start page's "New case" form: title, examiner, an empty folder, and the extra hashes. */
import { Button, Card, Checkbox, Group, Stack, Text, TextInput, Title } from "@mantine/core";
import { useState, type FormEvent } from "react";
import type { ApiClient } from "../../../api/apiClient.js";
import type { CaseSummary } from "../../../../shared/api/contract.js";
import type { HashAlgorithm } from "../../../../shared/ledger/events.js";
import { FolderField } from "../../components/FolderField.js";

export function NewCaseCard({
  client,
  onOpen,
  onError,
}: {
  client: ApiClient;
  onOpen: (s: CaseSummary) => void;
  /** Why the case was not made (null: clear the last reason). */
  onError: (message: string | null) => void;
}) {
  const [title, setTitle] = useState("");
  const [examiner, setExaminer] = useState(localStorage.getItem("sightline-examiner") ?? "");
  const [dir, setDir] = useState("");
  const [md5, setMd5] = useState(false);
  const [sha1, setSha1] = useState(false);
  const [busy, setBusy] = useState(false);

  const create = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    onError(null);
    const hashAlgorithms: HashAlgorithm[] = [...(md5 ? (["md5"] as const) : []), ...(sha1 ? (["sha1"] as const) : [])];
    const result = await client.api.createCase({ dir, title, examiner, hashAlgorithms });
    setBusy(false);
    if (!result.ok) return onError(result.error.message);
    localStorage.setItem("sightline-examiner", examiner);
    onOpen(result.value);
  };

  return (
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
        <FolderField label="Case folder" value={dir} onChange={setDir} />
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
  );
}
