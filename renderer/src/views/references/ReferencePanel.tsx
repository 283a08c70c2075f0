/**
 * "Use as reference imagery" for an imported item: reads what the file says about itself
 * (`inspectReference`: size, bands, CRS, bounds, resolution, dates, shown as inert text), then
 * takes what the verifier states (kind, provider, scene id, acquisition date, band roles, with a
 * Sentinel-2 L2A preset) and records it (`markReference`, a reference.marked event). Any reason
 * the file cannot be used arrives as one line.
 */
import { useState } from "react";
import { Alert, Button, Group, Stack, Text, TextInput, Textarea, Title } from "@mantine/core";
import type { ReferenceInspection } from "../../../../shared/api/geoContract.js";
import type { BandRole } from "../../../../shared/ledger/geoEvents.js";
import { inertText } from "../../../../shared/text/inertText.js";
import { useConnection } from "../../connectionContext.js";
import { FileTags } from "./FileTags.js";
import { BandRoles, sentinel2Roles } from "./BandRoles.js";

export function ReferencePanel({ dir, item }: { dir: string; item: { sha256: string; name: string } }) {
  const connection = useConnection();
  const { api } = connection.client;
  const [inspection, setInspection] = useState<ReferenceInspection | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [isBusy, setBusy] = useState(false);
  const [provider, setProvider] = useState("");
  const [sceneId, setSceneId] = useState("");
  const [acquiredOn, setAcquiredOn] = useState("");
  const [note, setNote] = useState("");
  const [roles, setRoles] = useState<(BandRole | "")[]>([]);
  const [saved, setSaved] = useState<number | null>(null);

  const inspect = async () => {
    setBusy(true);
    setError(null);
    setSaved(null);
    const r = await api.inspectReference({ dir, sha256: item.sha256 });
    setBusy(false);
    if (!r.ok) return setError(`This file cannot be used as reference imagery: ${r.error.message}`);
    setInspection(r.value);
    if (r.value.kind === "scene") {
      const tags = r.value.tags;
      setRoles(tags.bandCount === 6 ? sentinel2Roles(6) : Array.from({ length: tags.bandCount }, () => ""));
      const date = /(\d{4})[:-](\d\d)[:-](\d\d)/.exec(tags.dateTime ?? "");
      if (date && !acquiredOn) setAcquiredOn(`${date[1]}-${date[2]}-${date[3]}`);
    }
  };

  const mark = async () => {
    if (!inspection) return;
    setBusy(true);
    setError(null);
    const r =
      inspection.kind === "scene"
        ? await api.markReference({
            dir,
            sha256: item.sha256,
            kind: "scene",
            provider,
            sceneId,
            acquiredOn,
            note,
            bands: roles.flatMap((role, i) => (role ? [{ band: i + 1, role, label: `Band ${i + 1}` }] : [])),
          })
        : await api.markReference({ dir, sha256: item.sha256, kind: "basemap", provider, note });
    setBusy(false);
    if (!r.ok) return setError(`Not recorded: ${r.error.message}`);
    setSaved(r.value.seq);
  };

  return (
    <Stack gap="sm" aria-label="Reference imagery" role="region">
      <Title order={3} size="h5">
        Reference imagery
      </Title>
      <Text size="sm" c="dimmed">
        A satellite scene (GeoTIFF, Cloud-Optimised GeoTIFF) or an offline basemap (PMTiles) from the case can be shown
        on the map and matched against. What the file says about itself is recorded beside what you state.
      </Text>
      <Group>
        <Button size="xs" onClick={() => void inspect()} loading={isBusy && !inspection}>
          Use as reference imagery
        </Button>
      </Group>
      {error && (
        <Alert color="red" variant="light" role="alert" p="xs">
          {error}
        </Alert>
      )}
      {inspection && (
        <>
          <FileTags inspection={inspection} name={inertText(item.name)} />
          <form
            onSubmit={(e) => {
              e.preventDefault();
              void mark();
            }}
          >
            <Stack gap={6}>
              <Text size="sm" fw={600}>
                What you state about it ({inspection.kind === "scene" ? "a satellite scene" : "an offline basemap"})
              </Text>
              <TextInput
                size="xs"
                label="Provider"
                description="Who made the imagery: Copernicus Sentinel-2, Planet, USGS Landsat, …"
                required
                value={provider}
                onChange={(e) => setProvider(e.currentTarget.value)}
              />
              {inspection.kind === "scene" && (
                <>
                  <TextInput
                    size="xs"
                    label="Scene id"
                    value={sceneId}
                    onChange={(e) => setSceneId(e.currentTarget.value)}
                  />
                  <TextInput
                    size="xs"
                    label="Acquisition date"
                    description="The date the satellite took it (UTC), YYYY-MM-DD"
                    placeholder="2026-02-15"
                    required
                    value={acquiredOn}
                    onChange={(e) => setAcquiredOn(e.currentTarget.value)}
                  />
                  <BandRoles roles={roles} onChange={setRoles} />
                </>
              )}
              <Textarea
                size="xs"
                label="Note"
                autosize
                minRows={1}
                value={note}
                onChange={(e) => setNote(e.currentTarget.value)}
              />
              <Group>
                <Button size="xs" type="submit" loading={isBusy} disabled={!provider.trim()}>
                  Record as reference imagery
                </Button>
                {saved !== null && (
                  <Text size="xs" role="status">
                    Recorded in the ledger (event {saved}). It is now listed in the map&apos;s layers.
                  </Text>
                )}
              </Group>
            </Stack>
          </form>
        </>
      )}
    </Stack>
  );
}
