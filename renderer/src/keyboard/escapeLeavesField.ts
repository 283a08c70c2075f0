/**
 * Escape leaves a text field before any shortcut acts. Single-key shortcuts (n, s, j, k, Escape
 * back to the board) are off while typing; without this, Escape in a note did nothing and the
 * next "s" was typed into the note instead of opening the status. One listener, in the capture
 * phase on the window, so it runs before every view's own handlers: Escape in a text field blurs
 * it and goes no further. A field whose list is open (a select, a combobox) closes the list
 * first, and inside a dialog or menu Escape keeps closing it as it always did.
 */

const TEXT_INPUT_TYPES = new Set([
  "text",
  "search",
  "url",
  "email",
  "tel",
  "password",
  "number",
  "date",
  "datetime-local",
  "time",
  "month",
  "week",
]);

/** True for an element that takes typed text. */
export function isTextField(el: Element | null): el is HTMLElement {
  if (!el) return false;
  if (el instanceof HTMLTextAreaElement) return true;
  if (el instanceof HTMLInputElement) return TEXT_INPUT_TYPES.has(el.type);
  return el instanceof HTMLElement && el.isContentEditable;
}

export function installEscapeLeavesField(win: Window = window): () => void {
  const onKey = (e: KeyboardEvent) => {
    if (e.key !== "Escape" || e.defaultPrevented || e.isComposing) return;
    const field = e.target as Element | null;
    if (!isTextField(field)) return;
    if (field.getAttribute("aria-expanded") === "true") return;
    if (field.closest('[role="dialog"], [role="alertdialog"], [role="menu"]')) return;
    e.stopPropagation();
    e.preventDefault();
    field.blur();
  };
  win.addEventListener("keydown", onKey, { capture: true });
  return () => win.removeEventListener("keydown", onKey, { capture: true });
}
