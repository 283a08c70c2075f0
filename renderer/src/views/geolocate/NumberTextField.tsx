/**
 * A number typed as text (numberText.ts reads it: no number input's caret put back on a timer) that
 * is a spin button to assistive technology: its accepted range, and its value while the text states
 * one (none while it does not, with the reason as the field's error). Up and Down step it, Page Up
 * and Page Down by more; Home and End keep moving the caret, as in any text field. The keyboard a
 * phone offers suits the field: a full one where a number may be negative (the decimal and numeric
 * pads of some phones have no minus sign), else digits with a point, or digits alone. The reason
 * text states no number the field accepts shows at once (before the form's own, `error`); an empty
 * field's is the form's to give, when it is required.
 */
import { TextInput, type TextInputProps } from "@mantine/core";
import { useState, type KeyboardEvent } from "react";
import { readNumber, stepNumber, type NumberField } from "./numberText.js";

const inputModeOf = (field: NumberField) => (field.min < 0 ? "text" : field.isWhole ? "numeric" : "decimal");

type FieldProps = { field: NumberField; error?: string | undefined } & Omit<
  TextInputProps,
  "value" | "onChange" | "onKeyDown" | "inputMode" | "role" | "error"
>;

export function NumberTextField({
  field,
  text,
  onText,
  error,
  ...props
}: FieldProps & {
  /** The text as typed. */
  text: string;
  onText: (text: string) => void;
}) {
  const read = readNumber(text, field);
  const onKeyDown = (e: KeyboardEvent<HTMLInputElement>) => {
    const steps: Record<string, number> = {
      ArrowUp: field.step,
      ArrowDown: -field.step,
      PageUp: field.bigStep,
      PageDown: -field.bigStep,
    };
    const by = steps[e.key];
    // Shift with an arrow selects text, and keys during an input method's composition are its own.
    if (by === undefined || e.altKey || e.ctrlKey || e.metaKey || e.shiftKey || e.nativeEvent.isComposing) return;
    e.preventDefault();
    const next = stepNumber(text, field, by);
    if (next !== null) onText(next);
  };
  return (
    <TextInput
      {...props}
      role="spinbutton"
      aria-valuemin={field.min}
      aria-valuemax={field.max}
      aria-valuenow={read.ok ? read.value : undefined}
      inputMode={inputModeOf(field)}
      autoComplete="off"
      spellCheck={false}
      value={text}
      error={!read.ok && text.trim() !== "" ? read.reason : error}
      onChange={(e) => onText(e.currentTarget.value)}
      onKeyDown={onKeyDown}
    />
  );
}

/**
 * A NumberTextField that keeps its own text and reports the number it states: null while it is
 * empty, NaN while it states none the field accepts (so a form can tell "left out" from "wrong").
 */
export function NumberValueField({
  value,
  onValue,
  ...props
}: FieldProps & { value: number | null; onValue: (value: number | null) => void }) {
  const [text, setText] = useState(() => (value === null || Number.isNaN(value) ? "" : String(value)));
  return (
    <NumberTextField
      {...props}
      text={text}
      onText={(next) => {
        setText(next);
        const read = readNumber(next, props.field);
        onValue(next.trim() === "" ? null : read.ok ? read.value : Number.NaN);
      }}
    />
  );
}
