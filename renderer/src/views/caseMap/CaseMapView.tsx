/**
 * The case map: every item with a place (its current geolocation, else the position its
 * metadata claims) on one map, coloured by review status, sensitive places marked. Drawing a box
 * or polygon selects the items inside; the evidence board then shows only those.
 */
import { useEffect, useMemo, useState } from "react";
import { Alert, Button, Group, Stack, Text, Title } from "@mantine/core";
import { Polygon } from "ol/geom.js";
import { fromLonLat } from "ol/proj.js";
import type { CaseMapEntry } from "../../../../shared/api/geoContract.js";
import type { LatLonValue } from "../../../../shared/ledger/geoEvents.js";
import { ITEM_STATUSES } from "../../../../shared/ledger/events.js";
import type { Connection } from "../../connection.js";
import { MapWorkspace } from "../map/MapWorkspace.js";
import { STATUS_COLOURS } from "../map/mapFeatures.js";
import type { MapMarker } from "../map/mapTypes.js";

/** The items whose place lies inside a ring (WGS 84, not closed). */
export function itemsInside(entries: CaseMapEntry[], ring: LatLonValue[]): Set<string> {
  const coords = ring.map((p) => fromLonLat([p.lon, p.lat]));
  const polygon = new Polygon([[...coords, coords[0]!]]);
  return new Set(entries.filter((e) => polygon.intersectsCoordinate(fromLonLat([e.lon, e.lat]))).map((e) => e.sha256));
}

export interface AreaFilter {
  items: Set<string>;
  ring: LatLonValue[];
}

export function CaseMapView({
  connection,
  dir,
  area,
  onArea,
  onShowBoard,
}: {
  connection: Connection;
  dir: string;
  area: AreaFilter | null;
  onArea(a: AreaFilter | null): void;
  onShowBoard(): void;
}) {
  const [entries, setEntries] = useState<CaseMapEntry[] | null>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    let alive = true;
    const load = () =>
      void connection.client.api.caseMap({ dir }).then((r) => {
        if (!alive) return;
        if (r.ok) {
          setEntries(r.value);
          setError(null);
        } else setError(r.error.message);
      });
    load();
    const stop = connection.client.onEvent((e) => e.type === "ledger.appended" && e.dir === dir && load());
    return () => {
      alive = false;
      stop();
    };
  }, [connection, dir]);

  const markers: MapMarker[] = useMemo(
    () =>
      (entries ?? []).map((e) => ({
        id: e.sha256,
        lat: e.lat,
        lon: e.lon,
        label: `${e.sensitive ? "⚠ " : ""}${e.name.length > 28 ? `${e.name.slice(0, 27)}…` : e.name}`,
        kind: "item" as const,
        status: e.status,
      })),
    [entries],
  );
  const counts = new Map(ITEM_STATUSES.map((s) => [s, (entries ?? []).filter((e) => e.status === s).length]));
  const sensitive = (entries ?? []).filter((e) => e.sensitive).length;

  return (
    <Stack p="md" gap="sm">
      <Group justify="space-between" align="flex-start">
        <Stack gap={2}>
          <Title order={2} size="h4">
            Case map
          </Title>
          <Text size="sm" c="dimmed">
            {entries === null
              ? "Loading the items with a place…"
              : `${entries.length} item${entries.length === 1 ? "" : "s"} with a place: geolocated, or where their metadata claims they were made.`}
          </Text>
        </Stack>
        <Group gap="md" role="list" aria-label="Status colours">
          {ITEM_STATUSES.map((s) => (
            <Group key={s} gap={4} role="listitem" wrap="nowrap">
              <span className="legend-swatch legend-dot" style={{ background: STATUS_COLOURS[s] }} />
              <Text size="xs">
                {s} ({counts.get(s)})
              </Text>
            </Group>
          ))}
          <Text size="xs">⚠ sensitive place ({sensitive})</Text>
        </Group>
      </Group>
      {error && (
        <Alert color="red" variant="light" p="xs" role="alert">
          The case map could not be read: {error}
        </Alert>
      )}
      {area && (
        <Alert color="blue" variant="light" p="xs" role="status">
          <Group gap="sm">
            <Text size="sm">
              {area.items.size} item{area.items.size === 1 ? "" : "s"} in the selected area.
            </Text>
            <Button size="compact-xs" onClick={onShowBoard}>
              Show them on the evidence board
            </Button>
          </Group>
        </Alert>
      )}
      <MapWorkspace
        dir={dir}
        label="Case map"
        markers={markers}
        area={area?.ring ?? null}
        onSelectArea={(ring) => onArea(ring && entries ? { ring, items: itemsInside(entries, ring) } : null)}
      />
    </Stack>
  );
}
