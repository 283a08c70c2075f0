/**
 * A place typed or pasted in any common notation (decimal, DMS, DDM, MGRS; parseCoordinates),
 * shown back as decimal, DMS and MGRS so the verifier sees what was understood.
 */
import { Stack, Text, TextInput } from "@mantine/core";
import { useEffect, useState } from "react";
import { formatDecimal, formatDms, formatMgrs, parseCoordinates } from "../../../../shared/geo/coordinates.js";
import type { LatLonValue } from "../../../../shared/ledger/geoEvents.js";
import { inertText } from "../../../../shared/text/inertText.js";

export function coordinateForms(p: LatLonValue): string {
  return [formatDecimal(p), formatDms(p), formatMgrs(p) ?? "no MGRS at the poles"].join(" · ");
}

export function CoordinateField({
  label,
  value,
  onChange,
  description,
  size,
  id,
  error,
  onProblem,
}: {
  label: string;
  size?: "xs" | "sm";
  value: LatLonValue | null;
  onChange: (p: LatLonValue | null) => void;
  description?: string;
  id?: string;
  /** Why the form refuses the field, when its text itself is fine (a place is required, say). */
  error?: string | null;
  /** Told when the text typed cannot be read (with the reason, labelled) and when it can again. */
  onProblem?: (field: string, reason: string | null) => void;
}) {
  const [text, setText] = useState(value ? formatDecimal(value) : "");
  const [problem, setProblemState] = useState<string | null>(null);
  const setProblem = (reason: string | null) => {
    setProblemState(reason);
    if (id) onProblem?.(id, reason === null ? null : `${label}: ${reason}.`);
  };
  // A point picked on the map replaces what was typed.
  useEffect(() => {
    setText(value ? formatDecimal(value) : "");
    setProblem(null);
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [value]);
  // A field taken off the form no longer holds the form back.
  useEffect(() => () => void (id && onProblem?.(id, null)), [id, onProblem]);

  const commit = () => {
    if (text.trim() === "") {
      setProblem(null);
      return value && onChange(null);
    }
    const parsed = parseCoordinates(text);
    if (!parsed.ok) return setProblem(parsed.reason);
    setProblem(null);
    onChange({ lat: parsed.value.point.lat, lon: parsed.value.point.lon });
  };

  return (
    <Stack gap={2}>
      <TextInput
        size={size}
        id={id}
        label={label}
        description={description ?? "Decimal, degrees-minutes-seconds or MGRS; Enter to use"}
        value={text}
        onChange={(e) => setText(e.currentTarget.value)}
        onBlur={commit}
        onKeyDown={(e) => {
          if (e.key === "Enter") {
            e.preventDefault();
            commit();
          }
        }}
        error={problem ? inertText(problem) : error ? inertText(error) : undefined}
        spellCheck={false}
        classNames={{ input: "mono" }}
      />
      {value && (
        <Text size="xs" c="dimmed" className="mono" aria-label={`${label} in other notations`}>
          {coordinateForms(value)}
        </Text>
      )}
    </Stack>
  );
}
