/** The band roles of a scene as the verifier maps them: a Sentinel-2 L2A preset or one role per band. */
import { Button, Group, NativeSelect, SimpleGrid, Text } from "@mantine/core";
import { BAND_ROLES, type BandRole } from "../../../../shared/ledger/geoEvents.js";

/** Sentinel-2 L2A bands in the order such extracts usually hold them: B02, B03, B04, B8A, B11, B12. */
export const SENTINEL2_L2A: { name: string; role: BandRole }[] = [
  { name: "B02", role: "blue" },
  { name: "B03", role: "green" },
  { name: "B04", role: "red" },
  { name: "B8A", role: "nir-narrow" },
  { name: "B11", role: "swir1" },
  { name: "B12", role: "swir2" },
];

export function sentinel2Roles(bandCount: number): (BandRole | "")[] {
  return Array.from({ length: bandCount }, (_, i) => SENTINEL2_L2A[i]?.role ?? "");
}

export function BandRoles({ roles, onChange }: { roles: (BandRole | "")[]; onChange(r: (BandRole | "")[]): void }) {
  return (
    <fieldset className="band-roles">
      <legend>
        <Text size="xs" fw={600}>
          What each band measures
        </Text>
      </legend>
      <Group gap="xs" mb={6}>
        <Button size="compact-xs" variant="default" onClick={() => onChange(sentinel2Roles(roles.length))}>
          Sentinel-2 L2A (B02, B03, B04, B8A, B11, B12)
        </Button>
        <Button size="compact-xs" variant="subtle" onClick={() => onChange(roles.map(() => ""))}>
          Clear
        </Button>
      </Group>
      <SimpleGrid cols={3} spacing={6}>
        {roles.slice(0, 64).map((role, i) => (
          <NativeSelect
            key={i}
            size="xs"
            label={`Band ${i + 1}`}
            value={role}
            onChange={(e) => onChange(roles.map((r, j) => (j === i ? (e.currentTarget.value as BandRole | "") : r)))}
            data={[{ label: "not mapped", value: "" }, ...BAND_ROLES.map((r) => ({ label: r, value: r }))]}
          />
        ))}
      </SimpleGrid>
    </fieldset>
  );
}
