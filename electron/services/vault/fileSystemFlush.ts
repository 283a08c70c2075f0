/**
 * syncfs(2) for Node, which has no binding for it: coreutils' `sync -f DIR` run by one shell that
 * stays up for the life of the process and reads one request per line. Starting `sync` straight
 * from Node cost about 25 ms a flush on the test machine (the fork of a process of 100 MB and
 * more, during which the main thread is stopped); from a small shell that is already running it
 * costs about 1.5 ms, and an import of 1,000 small files flushes eight times.
 *
 * Flushes asked at once (an import overlaps two) each run in a subshell of their own, which the
 * small shell forks cheaply, and are answered by number ("7 0": request 7, sync's status), so one
 * fork of this process serves them all: a second shell for the second of two overlapping flushes
 * cost that fork again, in the middle of an import. The shell is detached from the event loop (it
 * never keeps the process alive) and ends when the process does, as its input closes.
 */
import { spawn, type ChildProcessByStdio } from "node:child_process";
import type { Readable, Writable } from "node:stream";

type Shell = ChildProcessByStdio<Writable, Readable, null>;

interface Flusher {
  shell: Shell;
  waiting: Map<number, (status: number | null) => void>;
  output: string;
  isDead: boolean;
}

// Each line is "N FOLDER"; the folder is the rest of the line as sent (spaces, backslashes and
// quotes kept: no word splitting); names holding a line break are not sent (see flushFileSystem).
const LOOP = `while IFS= read -r line; do n=\${line%% *}; d=\${line#* }; (sync -f -- "$d" 2>/dev/null; echo "$n $?") & done`;

let flusher: Flusher | null = null;
let nextRequest = 1;

/**
 * Flushes the file system holding `dir`: true once it was flushed, false where `sync -f` failed
 * there, null where no shell could run it (the caller then starts `sync -f` itself).
 */
export function flushFileSystem(dir: string): Promise<boolean | null> {
  if (dir.includes("\n") || dir.includes("\0")) return Promise.resolve(null);
  const current = flusher && !flusher.isDead ? flusher : (flusher = start());
  if (!current) return Promise.resolve(null);
  const request = nextRequest++;
  // While a flush is under way its answer keeps the process running; an idle shell does not.
  hold(current, true);
  return new Promise((resolve) => {
    current.waiting.set(request, (status) => {
      // A shell that died holds nothing (and its closed pipes take no more calls).
      if (current.waiting.size === 0 && !current.isDead) hold(current, false);
      resolve(status === null ? null : status === 0);
    });
    current.shell.stdin.write(`${request} ${dir}\n`);
  });
}

function start(): Flusher | null {
  let shell: Shell;
  try {
    shell = spawn("sh", ["-c", LOOP], { stdio: ["pipe", "pipe", "ignore"] });
  } catch {
    return null;
  }
  const started: Flusher = { shell, waiting: new Map(), output: "", isDead: false };
  shell.stdout.setEncoding("utf8");
  shell.stdout.on("data", (text: string) => {
    started.output += text;
    for (let end; (end = started.output.indexOf("\n")) >= 0;) {
      const [request, status] = started.output.slice(0, end).split(" ").map(Number);
      started.output = started.output.slice(end + 1);
      const answer = started.waiting.get(request!);
      if (!answer) continue;
      started.waiting.delete(request!);
      answer(Number.isInteger(status) ? status! : 1);
    }
  });
  const die = () => {
    if (started.isDead) return;
    started.isDead = true;
    const answers = [...started.waiting.values()];
    started.waiting.clear();
    for (const answer of answers) answer(null);
  };
  shell.on("error", die);
  shell.on("exit", die);
  shell.stdin.on("error", die);
  // Its output closed: no answer can come any more (seen before the exit, which this process,
  // not held by an idle shell, may end without waiting for).
  shell.stdout.on("close", die);
  hold(started, false);
  shell.unref();
  return started;
}

type Handle = { ref?: () => void; unref?: () => void };

function hold(held: Flusher, isHeld: boolean): void {
  for (const pipe of [held.shell.stdin, held.shell.stdout] as unknown as Handle[]) {
    if (isHeld) pipe.ref?.();
    else pipe.unref?.();
  }
}
