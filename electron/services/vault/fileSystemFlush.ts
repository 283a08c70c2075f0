/**
 * syncfs(2) for Node, which has no binding for it: coreutils' `sync -f DIR` run by a shell that
 * stays up for the life of the process and reads one folder per line. Starting `sync` straight
 * from Node cost about 25 ms a flush on the test machine (the fork of a process of 100 MB and
 * more, during which the main thread is stopped); from a small shell that is already running it
 * costs about 1.5 ms, and an import of 1,000 small files flushes eight times.
 *
 * A shell answers its flushes one after another, in order ("0" or sync's failing status), so
 * flushes asked at once each get a shell of their own: at most a few (an import overlaps two).
 * The shells are detached from the event loop (they never keep the process alive) and end when
 * the process does, as their input closes.
 */
import { spawn, type ChildProcessByStdio } from "node:child_process";
import type { Readable, Writable } from "node:stream";

type Shell = ChildProcessByStdio<Writable, Readable, null>;

interface Flusher {
  shell: Shell;
  waiting: ((status: number | null) => void)[];
  output: string;
  isDead: boolean;
}

// `IFS= read -r` keeps the folder's name as given (spaces, backslashes); names holding a line
// break are not sent here (see flushFileSystem).
const LOOP = 'while IFS= read -r d; do sync -f -- "$d" 2>/dev/null; echo $?; done';
/** Shells kept for later flushes; more may run at once, and those beyond are ended when idle. */
const KEPT = 3;
const idle: Flusher[] = [];

/**
 * Flushes the file system holding `dir`: true once it was flushed, false where `sync -f` failed
 * there, null where no shell could run it (the caller then starts `sync -f` itself).
 */
export function flushFileSystem(dir: string): Promise<boolean | null> {
  if (dir.includes("\n") || dir.includes("\0")) return Promise.resolve(null);
  const flusher = idle.pop() ?? start();
  if (!flusher) return Promise.resolve(null);
  // While a flush is under way its answer keeps the process running; an idle shell does not.
  hold(flusher, true);
  return new Promise((resolve) => {
    flusher.waiting.push((status) => {
      if (flusher.waiting.length === 0) hold(flusher, false);
      if (!flusher.isDead) {
        if (idle.length < KEPT) idle.push(flusher);
        else flusher.shell.stdin.end();
      }
      resolve(status === null ? null : status === 0);
    });
    flusher.shell.stdin.write(`${dir}\n`);
  });
}

function start(): Flusher | null {
  let shell: Shell;
  try {
    shell = spawn("sh", ["-c", LOOP], { stdio: ["pipe", "pipe", "ignore"] });
  } catch {
    return null;
  }
  const flusher: Flusher = { shell, waiting: [], output: "", isDead: false };
  shell.stdout.setEncoding("utf8");
  shell.stdout.on("data", (text: string) => {
    flusher.output += text;
    for (let end; (end = flusher.output.indexOf("\n")) >= 0;) {
      const status = Number(flusher.output.slice(0, end));
      flusher.output = flusher.output.slice(end + 1);
      flusher.waiting.shift()?.(Number.isInteger(status) ? status : 1);
    }
  });
  const die = () => {
    if (flusher.isDead) return;
    flusher.isDead = true;
    const at = idle.indexOf(flusher);
    if (at >= 0) idle.splice(at, 1);
    for (const answer of flusher.waiting.splice(0)) answer(null);
  };
  shell.on("error", die);
  shell.on("exit", die);
  shell.stdin.on("error", die);
  shell.unref();
  hold(flusher, false);
  return flusher;
}

type Handle = { ref?: () => void; unref?: () => void };

function hold(flusher: Flusher, isHeld: boolean): void {
  for (const pipe of [flusher.shell.stdin, flusher.shell.stdout] as unknown as Handle[]) {
    if (isHeld) pipe.ref?.();
    else pipe.unref?.();
  }
}
