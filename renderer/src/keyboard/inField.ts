/**
 * Whether a key press came from inside a form control (an input of any kind, a text area, a select,
 * editable text). The views' single-key shortcuts (r, n, s, j, k, Escape, the zoom and frame keys)
 * act only outside them, so typing a letter is never taken as a command.
 */
export function isInField(target: EventTarget | null): boolean {
  return target instanceof Element && target.closest("input, textarea, select, [contenteditable]") !== null;
}
