/** What every command gets: its output streams and the examiner profile. */
import { KeyStore, defaultProfileDir } from "../services/examiners/keyStore.js";

export interface CommandContext {
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WriteStream | NodeJS.WritableStream;
  keyStore: KeyStore;
  /** True when progress may be drawn on stderr. */
  isInteractive: boolean;
}

export function defaultContext(): CommandContext {
  return {
    stdout: process.stdout,
    stderr: process.stderr,
    keyStore: new KeyStore(defaultProfileDir()),
    isInteractive: Boolean(process.stderr.isTTY) && !process.env.CI,
  };
}

export const line = (stream: NodeJS.WritableStream, text = "") => stream.write(`${text}\n`);
