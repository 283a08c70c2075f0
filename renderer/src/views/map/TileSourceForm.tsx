/**
 * Adds an online tile layer (an XYZ template, with an optional key kept in the examiner's
 * profile only). The page must reload for the layer's host to be allowed by its security policy.
 */
import { useState } from "react";
import { Button, Collapse, NumberInput, PasswordInput, Stack, Text, TextInput } from "@mantine/core";
import { useConnection } from "../../connectionContext.js";

export function TileSourceForm({ dir, onSaved }: { dir: string; onSaved(): void }) {
  const connection = useConnection();
  const [isOpen, setOpen] = useState(false);
  const [name, setName] = useState("");
  const [template, setTemplate] = useState("");
  const [attribution, setAttribution] = useState("");
  const [terms, setTerms] = useState("");
  const [key, setKey] = useState("");
  const [maxZoom, setMaxZoom] = useState<number>(19);
  const [error, setError] = useState<string | null>(null);
  const [saved, setSaved] = useState<string | null>(null);
  const [isSaving, setSaving] = useState(false);

  const save = async () => {
    setSaving(true);
    setError(null);
    const r = await connection.client.api.saveTileSource({
      dir,
      name,
      template: template.trim(),
      attribution,
      terms,
      maxZoom,
      ...(key ? { key } : {}),
    });
    setSaving(false);
    if (!r.ok) return setError(r.error.message);
    setSaved(name);
    setName("");
    setTemplate("");
    setKey("");
    onSaved();
  };

  return (
    <Stack gap={4}>
      <Button size="compact-xs" variant="subtle" onClick={() => setOpen((o) => !o)} aria-expanded={isOpen}>
        {isOpen ? "Hide the tile layer form" : "Add a tile layer"}
      </Button>
      <Collapse expanded={isOpen}>
        <Stack gap={6}>
          <TextInput size="xs" label="Name" value={name} onChange={(e) => setName(e.currentTarget.value)} />
          <TextInput
            size="xs"
            label="URL template"
            description="https://…/{z}/{x}/{y}.png; write {key} where the provider's key goes"
            value={template}
            onChange={(e) => setTemplate(e.currentTarget.value)}
          />
          <PasswordInput
            size="xs"
            label="Key (optional)"
            description="Kept in your profile only: never in the case, the ledger or a report"
            value={key}
            onChange={(e) => setKey(e.currentTarget.value)}
          />
          <TextInput
            size="xs"
            label="Attribution"
            value={attribution}
            onChange={(e) => setAttribution(e.currentTarget.value)}
          />
          <TextInput size="xs" label="Terms of use" value={terms} onChange={(e) => setTerms(e.currentTarget.value)} />
          <NumberInput
            size="xs"
            label="Highest zoom"
            min={0}
            max={24}
            value={maxZoom}
            onChange={(v) => setMaxZoom(Number(v) || 0)}
          />
          <Text size="xs" c="dimmed">
            After saving, reload the page: the workbench only fetches from hosts it was started with.
          </Text>
          <Button size="xs" onClick={() => void save()} loading={isSaving} disabled={!name.trim() || !template.trim()}>
            Save tile layer
          </Button>
          {error && (
            <Text size="xs" c="red" role="alert">
              {error}
            </Text>
          )}
          {saved && !error && (
            <Text size="xs" role="status">
              Saved. Reload the page to load its tiles.
            </Text>
          )}
        </Stack>
      </Collapse>
    </Stack>
  );
}
