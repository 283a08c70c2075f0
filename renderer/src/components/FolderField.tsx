/**
 * A folder on this computer typed as a path: required, in the monospace face paths are shown in,
 * "A new, empty folder on this computer" unless the form says otherwise.
 */
import { TextInput, type TextInputProps } from "@mantine/core";

export function FolderField({
  value,
  onChange,
  description = "A new, empty folder on this computer",
  ...rest
}: Omit<TextInputProps, "value" | "onChange"> & { value: string; onChange: (value: string) => void }) {
  return (
    <TextInput
      required
      description={description}
      value={value}
      onChange={(e) => onChange(e.currentTarget.value)}
      classNames={{ input: "mono" }}
      {...rest}
    />
  );
}
