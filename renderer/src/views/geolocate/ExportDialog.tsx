/**
 * Exports the case's geolocations to exports/ as GeoJSON, KML or CSV: all current proposals or the
 * ones chosen, with sensitive places rounded, left out or (with a warning) included as recorded.
 * Shows the file written and its SHA-256, which the geolocations.exported event also records.
 */
import { Alert, Button, Checkbox, Group, Radio, ScrollArea, Stack, Text } from "@mantine/core";
import { useEffect, useState } from "react";
import type { GeolocationInfo } from "../../../../shared/api/geoContract.js";
import type { EventRef, GeoExportFormat } from "../../../../shared/ledger/geoEvents.js";
import { inertText } from "../../../../shared/text/inertText.js";
import type { Connection } from "../../connection.js";
import { CONFIDENCE_LABELS, radiusLabel } from "./geoLabels.js";
import { AppModal } from "../../components/AppModal.js";
import { ExportedFile } from "../../components/ExportedFile.js";

type Sensitive = "rounded" | "omitted" | "included";

const FORMATS: { value: GeoExportFormat; label: string }[] = [
  { value: "geojson", label: "GeoJSON (for GIS tools and web maps)" },
  { value: "kml", label: "KML (for Google Earth)" },
  { value: "csv", label: "CSV (for spreadsheets)" },
];

function describeProposal(g: GeolocationInfo, names: Map<string, string>): string {
  const p = g.payload;
  const name = names.get(p.sha256) ?? `${p.sha256.slice(0, 12)}…`;
  if (p.outcome !== "located") return `${name}: cannot be geolocated (#${g.ref.seq})`;
  return `${name}: ${p.confidence ? CONFIDENCE_LABELS[p.confidence] : "?"}, ${p.precision ? radiusLabel(p.precision.radiusM) : ""}${p.sensitive ? ", sensitive" : ""} (#${g.ref.seq})`;
}

/** The case's geolocation export; `preselected` narrows it to some proposals at first. */
export function ExportDialog({
  connection,
  dir,
  opened,
  onClose,
  preselected,
}: {
  connection: Connection;
  dir: string;
  opened: boolean;
  onClose: () => void;
  preselected?: EventRef[];
}) {
  const { api } = connection.client;
  const [proposals, setProposals] = useState<GeolocationInfo[]>([]);
  const [names, setNames] = useState(new Map<string, string>());
  const [format, setFormat] = useState<GeoExportFormat>("geojson");
  const [sensitive, setSensitive] = useState<Sensitive>("rounded");
  const [scope, setScope] = useState<"all" | "selected">("all");
  const [selected, setSelected] = useState<Set<string>>(new Set());
  const [problem, setProblem] = useState<string | null>(null);
  const [written, setWritten] = useState<{ path: string; sha256: string; size: number; count: number } | null>(null);
  const [isBusy, setBusy] = useState(false);

  useEffect(() => {
    if (!opened) return;
    setWritten(null);
    setProblem(null);
    setSelected(new Set((preselected ?? []).map((r) => r.hash)));
    setScope(preselected?.length ? "selected" : "all");
    void Promise.all([api.listGeolocations({ dir }), api.listItems({ dir })]).then(([geo, items]) => {
      if (!geo.ok) return setProblem(geo.error.message);
      setProposals(geo.value.geolocations.filter((g) => g.replacedBy === null).sort((a, b) => b.ref.seq - a.ref.seq));
      if (items.ok) setNames(new Map(items.value.map((i) => [i.sha256, i.name])));
    });
    // preselected is read when the dialog opens, not followed while it is open.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [opened, api, dir]);

  const run = async () => {
    setProblem(null);
    setWritten(null);
    const chosen = proposals.filter((g) => selected.has(g.ref.hash)).map((g) => g.ref);
    if (scope === "selected" && chosen.length === 0) return setProblem("Choose at least one geolocation to export.");
    setBusy(true);
    const r = await api.exportGeolocations({
      dir,
      format,
      sensitive,
      ...(scope === "selected" ? { geolocations: chosen } : {}),
    });
    setBusy(false);
    if (!r.ok) return setProblem(r.error.message);
    setWritten(r.value);
  };

  const toggle = (hash: string, on: boolean) =>
    setSelected((s) => {
      const next = new Set(s);
      if (on) next.add(hash);
      else next.delete(hash);
      return next;
    });

  return (
    <AppModal
      opened={opened}
      onClose={onClose}
      title="Export geolocations"
      size="lg"
      closeLabel="Close the export dialog"
    >
      <Stack gap="sm">
        <Radio.Group label="Format" value={format} onChange={(v) => setFormat(v as GeoExportFormat)}>
          <Stack gap={4} mt={4}>
            {FORMATS.map((f) => (
              <Radio key={f.value} value={f.value} label={f.label} />
            ))}
          </Stack>
        </Radio.Group>
        <Radio.Group label="Which geolocations" value={scope} onChange={(v) => setScope(v as "all" | "selected")}>
          <Stack gap={4} mt={4}>
            <Radio value="all" label={`Every current geolocation of the case (${proposals.length})`} />
            <Radio value="selected" label={`Only the ones I choose (${selected.size} chosen)`} />
          </Stack>
        </Radio.Group>
        {scope === "selected" && (
          <ScrollArea.Autosize mah={180} type="auto" viewportProps={{ tabIndex: 0 }}>
            <Stack gap={4} aria-label="Geolocations to export">
              {proposals.map((g) => (
                <Checkbox
                  key={g.ref.hash}
                  label={inertText(describeProposal(g, names))}
                  checked={selected.has(g.ref.hash)}
                  onChange={(e) => toggle(g.ref.hash, e.currentTarget.checked)}
                />
              ))}
            </Stack>
          </ScrollArea.Autosize>
        )}
        <Radio.Group label="Sensitive locations" value={sensitive} onChange={(v) => setSensitive(v as Sensitive)}>
          <Stack gap={4} mt={4}>
            <Radio value="rounded" label="Round them to about 1 km" />
            <Radio value="omitted" label="Leave them out" />
            <Radio value="included" label="Include them as recorded" />
          </Stack>
        </Radio.Group>
        {sensitive === "included" && (
          <Alert color="orange" title="The exact places will be in the file" role="alert">
            A sensitive location could expose a witness or a source. Anyone who receives this file will see where they
            were. Share it only with people who must have it.
          </Alert>
        )}
        {problem && (
          <Alert color="red" role="alert">
            {inertText(problem)}
          </Alert>
        )}
        {written && (
          <Alert color="teal" title="Export written" role="status">
            <ExportedFile file={written} name="the export" save={{ connection, dir }}>
              <Text size="sm">
                {written.count} geolocation{written.count === 1 ? "" : "s"}.
              </Text>
            </ExportedFile>
          </Alert>
        )}
        <Group justify="flex-end">
          <Button variant="default" onClick={onClose}>
            Close
          </Button>
          <Button onClick={() => void run()} loading={isBusy}>
            Export
          </Button>
        </Group>
      </Stack>
    </AppModal>
  );
}
