/**
 * A Performance trace of the page (the DevTools protocol's `Tracing` domain, the categories the
 * DevTools Performance panel records) around some work, summed as that panel sums it: the main
 * thread's CPU time by kind (script, style, layout, paint, GC, other) and by event, its JavaScript
 * by function, and the other threads' time (raster, which the main thread does not wait for but the
 * screen does). CPU (thread) time rather than wall time, so a busy machine blurs it less.
 */
import { createWriteStream } from "node:fs";
import { mkdir } from "node:fs/promises";
import path from "node:path";
import type { CDPSession, Page } from "playwright-core";

const CATEGORIES = [
  "devtools.timeline",
  "disabled-by-default-devtools.timeline",
  "disabled-by-default-devtools.timeline.frame",
  "v8",
  "v8.execute",
  "blink.user_timing",
  "cc",
  "disabled-by-default-v8.gc",
  "disabled-by-default-v8.cpu_profiler",
].join(",");

interface TraceEvent {
  name: string;
  ph: string;
  pid: number;
  tid: number;
  ts: number;
  dur?: number;
  /** Thread (CPU) time of a complete event, microseconds. */
  tdur?: number;
  id?: string;
  args?: { name?: string; data?: ProfileData };
}
/** The sampling profiler's records in a trace ("Profile" and "ProfileChunk" events). */
interface ProfileData {
  startTime?: number;
  cpuProfile?: {
    nodes?: { id: number; parent?: number; callFrame: { functionName: string; url?: string; lineNumber?: number } }[];
    samples?: number[];
  };
  timeDeltas?: number[];
}

/** The DevTools panel's kinds, by trace event name; anything else on the main thread is "other". */
const KIND: Record<string, string> = {
  FunctionCall: "script",
  EvaluateScript: "script",
  EventDispatch: "script",
  TimerFire: "script",
  FireAnimationFrame: "script",
  RunMicrotasks: "script",
  "v8.callFunction": "script",
  "V8.Execute": "script",
  "v8.compile": "script",
  "v8.compileModule": "script",
  "v8.evaluateModule": "script",
  RunTask: "other",
  UpdateLayoutTree: "style",
  RecalculateStyles: "style",
  ParseAuthorStyleSheet: "style",
  Layout: "layout",
  HitTest: "layout",
  PrePaint: "paint",
  Paint: "paint",
  PaintImage: "paint",
  Layerize: "paint",
  UpdateLayer: "paint",
  "Decode Image": "paint",
  ImageDecodeTask: "paint",
  Commit: "paint",
  CompositeLayers: "paint",
  MinorGC: "gc",
  MajorGC: "gc",
  "V8.GC_SCAVENGER": "gc",
  "V8.GC_MC_BACKGROUND_MARKING": "gc",
  "BlinkGC.AtomicPhase": "gc",
  "V8.GCScavenger": "gc",
  "V8.GCFinalizeMC": "gc",
  "V8.GCIncrementalMarking": "gc",
  "V8.GCCompactor": "gc",
};
const kindOf = (name: string): string => KIND[name] ?? (/GC|Sweep|Marking|Scavenge/.test(name) ? "gc" : "other");

export interface TraceSummary {
  /** Main-thread CPU (thread) time by kind, self time of each event, ms. */
  byKind: Record<string, number>;
  /** Main-thread CPU self time by event name, ms, largest first. */
  byEvent: [string, number][];
  /** Raster and image-decode work on the raster threads, ms. */
  rasterMs: number;
  /** The main thread's CPU time in the window (its outermost events' thread time), ms: steadier than wall time on a busy machine. */
  cpuMs: number;
  /** Wall time of the window summed: between the page's marks board-change-start and -end, or the whole trace. */
  spanMs: number;
  /** Busy time of every thread of the page's process in the window, ms, busiest first. */
  threads: [string, number][];
  /** The main thread's JavaScript in the window by function (sampled), ms, largest first. */
  byFunction: [string, number][];
}

/** The page's main-thread CPU samples in the window, summed by function (its name and place). */
function samplesByFunction(events: TraceEvent[], pid: number, tid: number, from: number, to: number) {
  const names = new Map<number, string>();
  const byFunction = new Map<string, number>();
  for (const profile of events.filter((e) => e.name === "Profile" && e.pid === pid && e.tid === tid)) {
    let at = profile.args?.data?.startTime ?? profile.ts;
    for (const chunk of events.filter((e) => e.name === "ProfileChunk" && e.id === profile.id && e.pid === pid)) {
      const data = chunk.args?.data;
      for (const n of data?.cpuProfile?.nodes ?? []) {
        const { functionName, url, lineNumber } = n.callFrame;
        names.set(
          n.id,
          `${functionName || "(anonymous)"}${url ? ` ${url.split("/").pop()}:${(lineNumber ?? 0) + 1}` : ""}`,
        );
      }
      const samples = data?.cpuProfile?.samples ?? [];
      const deltas = data?.timeDeltas ?? [];
      samples.forEach((id, i) => {
        const delta = deltas[i] ?? 0;
        at += delta;
        if (at < from || at > to) return;
        const name = names.get(id) ?? "?";
        byFunction.set(name, (byFunction.get(name) ?? 0) + (deltas[i + 1] ?? delta) / 1000);
      });
    }
  }
  return [...byFunction.entries()].filter(([n]) => n !== "(idle)").sort((a, b) => b[1] - a[1]);
}

async function collect(cdp: CDPSession, work: () => Promise<unknown>): Promise<TraceEvent[]> {
  const events: TraceEvent[] = [];
  cdp.on("Tracing.dataCollected", (e) => events.push(...(e.value as unknown as TraceEvent[])));
  const done = new Promise<void>((resolve) => cdp.once("Tracing.tracingComplete", () => resolve()));
  await cdp.send("Tracing.start", { categories: CATEGORIES, transferMode: "ReportEvents" });
  await work();
  await cdp.send("Tracing.end");
  await done;
  return events;
}

/**
 * Self time of each event on one thread inside [from, to] (trace microseconds): its time less that
 * of the events nested in it, each clipped to the window. With `isCpu`, thread (CPU) time, each
 * event's scaled to the part of it inside the window; otherwise wall time.
 */
function selfTimes(events: TraceEvent[], from = -Infinity, to = Infinity, isCpu = false): Map<string, number> {
  const spans = events
    .filter((e) => e.ph === "X" && e.dur !== undefined && e.ts < to && e.ts + e.dur > from)
    .filter((e) => !isCpu || e.tdur !== undefined)
    .map((e) => {
      const ts = Math.max(e.ts, from);
      const dur = Math.min(e.ts + e.dur!, to) - ts;
      const time = isCpu ? (e.dur! > 0 ? (e.tdur! * dur) / e.dur! : 0) : dur;
      return { name: e.name, ts, dur, time };
    })
    .sort((a, b) => a.ts - b.ts || b.dur - a.dur);
  const self = new Map<string, number>();
  const stack: { end: number; name: string }[] = [];
  for (const e of spans) {
    while (stack.length > 0 && stack.at(-1)!.end <= e.ts) stack.pop();
    const parent = stack.at(-1);
    if (parent) self.set(parent.name, (self.get(parent.name) ?? 0) - e.time);
    self.set(e.name, (self.get(e.name) ?? 0) + e.time);
    stack.push({ end: e.ts + e.dur, name: e.name });
  }
  return self;
}

/**
 * Writes a raw trace into `dir` (made if need be), one event at a time: a whole trace as one string
 * can pass the longest string V8 makes.
 */
async function keepTrace(dir: string, events: readonly TraceEvent[]): Promise<void> {
  await mkdir(dir, { recursive: true });
  const out = createWriteStream(path.join(dir, `trace-${Date.now()}.json`));
  const write = (text: string) =>
    out.write(text) ? Promise.resolve() : new Promise<void>((resolve) => out.once("drain", () => resolve()));
  await write('{"traceEvents":[\n');
  for (const [i, e] of events.entries()) await write(`${i > 0 ? ",\n" : ""}${JSON.stringify(e)}`);
  await write("\n]}\n");
  await new Promise<void>((resolve, reject) => out.end((error?: Error | null) => (error ? reject(error) : resolve())));
}

/** Traces the page while `work` runs and sums the trace (see the file's header). */
export async function traceWhile(page: Page, work: () => Promise<unknown>): Promise<TraceSummary> {
  const cdp = await page.context().newCDPSession(page);
  const events = await collect(cdp, work);
  await cdp.detach();
  // BENCH_BOARD_TRACE_DIR keeps each raw trace (JSON, for the DevTools Performance panel or a script).
  const keepIn = process.env.BENCH_BOARD_TRACE_DIR;
  if (keepIn) await keepTrace(keepIn, events);
  const threadName = new Map<string, string>();
  const byThread = new Map<string, TraceEvent[]>();
  for (const e of events) {
    const key = `${e.pid}:${e.tid}`;
    if (e.ph === "M" && e.name === "thread_name") threadName.set(key, e.args?.name ?? "");
    if (e.ph !== "X") continue;
    let list = byThread.get(key);
    if (!list) byThread.set(key, (list = []));
    list.push(e);
  }
  // The window: the last change the page marked (boardProbe's timeFilter), else the whole trace.
  const mark = (name: string) => events.filter((e) => e.name === name).at(-1)?.ts;
  const from = mark("board-change-start") ?? -Infinity;
  const to = mark("board-change-end") ?? Infinity;
  // The page's main thread: the renderer main thread with the most work.
  const mains = [...byThread.entries()].filter(([k]) => threadName.get(k) === "CrRendererMain");
  const main = mains.sort((a, b) => b[1].length - a[1].length)[0]?.[1] ?? [];
  const mainPid = main[0]?.pid;
  const self = selfTimes(main, from, to, true);
  const byKind: Record<string, number> = {};
  for (const [name, us] of self) byKind[kindOf(name)] = (byKind[kindOf(name)] ?? 0) + us / 1000;
  let rasterUs = 0;
  const threads: [string, number][] = [];
  for (const [key, list] of byThread) {
    if (Number(key.split(":")[0]) !== mainPid) continue;
    const name = threadName.get(key) ?? key;
    const times = selfTimes(list, from, to);
    threads.push([name, [...times.values()].reduce((a, b) => a + b, 0) / 1000]);
    // Debian's Chromium rasters on its thread pool's workers (ThreadPoolForegroundWorker), not on named raster threads.
    if (!/Compositor(Tile)?Worker|Raster|ThreadPoolForegroundWorker/.test(name)) continue;
    for (const [event, us] of times) if (/Raster|Decode|Image/.test(event)) rasterUs += us;
  }
  const starts = main.map((e) => e.ts);
  const ends = main.map((e) => e.ts + (e.dur ?? 0));
  const spanUs = Math.min(to, Math.max(...ends)) - Math.max(from, Math.min(...starts));
  return {
    byKind,
    byEvent: [...self.entries()].map(([n, us]) => [n, us / 1000] as [string, number]).sort((a, b) => b[1] - a[1]),
    rasterMs: rasterUs / 1000,
    cpuMs: [...self.values()].reduce((a, b) => a + b, 0) / 1000,
    spanMs: main.length > 0 ? spanUs / 1000 : 0,
    threads: threads.sort((a, b) => b[1] - a[1]),
    byFunction: main[0] ? samplesByFunction(events, main[0].pid, main[0].tid, from, to) : [],
  };
}

/** The summary as lines to print. */
export function traceLines(t: TraceSummary, top = 12): string[] {
  const kinds = Object.entries(t.byKind)
    .sort((a, b) => b[1] - a[1])
    .map(([k, ms]) => `${k} ${ms.toFixed(0)} ms`)
    .join(", ");
  const threads = t.threads
    .slice(0, 5)
    .map(([n, ms]) => `${n} ${ms.toFixed(0)} ms`)
    .join(", ");
  return [
    `main thread by kind: ${kinds}; its CPU ${t.cpuMs.toFixed(0)} ms; raster ${t.rasterMs.toFixed(0)} ms; window ${t.spanMs.toFixed(0)} ms`,
    `busy threads: ${threads}`,
    ...t.byEvent.slice(0, top).map(([n, ms]) => `${ms.toFixed(1).padStart(8)} ms  ${n}`),
    ...(top > 0 ? ["script by function (sampled):"] : []),
    ...t.byFunction.slice(0, top).map(([n, ms]) => `${ms.toFixed(1).padStart(8)} ms  ${n}`),
  ];
}
