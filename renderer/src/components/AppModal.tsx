/**
 * The workbench's dialog: Mantine's Modal with what every dialog of the app sets the same way.
 * Its close button is named for screen readers and keyboard tests ("Close the report dialog").
 * Scroll locking stays off: it injects a <style> element without the page's CSP nonce (the one
 * main.tsx hands Mantine for its own styles), which the policy blocks; the workbench page does not
 * scroll behind a dialog anyway.
 */
import { Modal, type ModalProps } from "@mantine/core";

export interface AppModalProps extends Omit<ModalProps, "closeButtonProps" | "lockScroll"> {
  /** The close button's accessible name, saying what it closes. */
  closeLabel: string;
}

export function AppModal({ closeLabel, ...props }: AppModalProps) {
  return <Modal {...props} closeButtonProps={{ "aria-label": closeLabel }} lockScroll={false} />;
}
