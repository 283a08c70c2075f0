/**
 * How the where-and-when forms refuse to save: each reason belongs to the control it concerns (by
 * its element id), is shown next to it (Mantine `error`, which also becomes the control's
 * description), and focus moves to the first refused control on the page, so a person using a
 * screen reader hears the reason where they land. A one-line summary goes in the form's alert.
 */

import { useCallback, useEffect, useMemo, useRef, useState } from "react";

/** A reason the form will not save, and the id of the control to fix. */
export interface FieldProblem {
  field: string;
  reason: string;
}

/** Reasons by control id, for the controls to show their own. */
export type FieldProblems = ReadonlyMap<string, string>;

export const NO_PROBLEMS: FieldProblems = new Map();

/** Ids of the geolocation form's controls that can be refused. */
export const FIELD_IDS = {
  place: "geo-place",
  area: "geo-area",
  confidence: "geo-confidence",
  radius: "geo-radius",
  cannotReason: "geo-cannot-reason",
  method: "geo-method",
  chronoMethod: "chrono-method",
  estimateFrom: "chrono-estimate-from",
  estimateTo: "chrono-estimate-to",
  chronoPlace: "chrono-place",
  chronoDate: "chrono-date",
} as const;

export const clueFieldId = (id: string, part: "what" | "frame" | "map") => `clue-${id}-${part}`;
export const eliminatedFieldId = (id: string, part: "place" | "why" | "location") => `eliminated-${id}-${part}`;
export const shadowFieldId = (id: string, part: "what" | "measure" | "height" | "length" | "bearing") =>
  `shadow-${id}-${part}`;
export const claimFieldId = (formId: string, index: number, part: "location" | "time" | "detail" | "placeName") =>
  `${formId}-claim-${index}-${part}`;

/** The reason of each problem by its control; a control refused twice keeps the first reason. */
export function problemsByField(list: FieldProblem[]): FieldProblems {
  const map = new Map<string, string>();
  for (const p of list) if (!map.has(p.field)) map.set(p.field, p.reason);
  return map;
}

/** The problems in the order their controls stand on the page (those not on the page last). */
export function inPageOrder(list: FieldProblem[]): FieldProblem[] {
  const at = (p: FieldProblem) => document.getElementById(p.field);
  return [...list].sort((a, b) => {
    const ea = at(a);
    const eb = at(b);
    if (!ea || !eb) return ea ? -1 : eb ? 1 : 0;
    if (ea === eb) return 0;
    return ea.compareDocumentPosition(eb) & Node.DOCUMENT_POSITION_FOLLOWING ? -1 : 1;
  });
}

/** One line for the form's alert: how many things to fix, and the first of them. */
export function refusalLine(ordered: FieldProblem[]): string {
  const [first] = ordered;
  if (!first) return "";
  const more = ordered.length - 1;
  const rest =
    more === 1
      ? "1 more thing to fix, marked beside its field"
      : `${more} more things to fix, each marked beside its field`;
  return `Not saved: ${first.reason}${more > 0 ? ` And ${rest}.` : ""}`;
}

/**
 * Orders the problems, moves focus to the first refused control (after React has drawn the
 * errors, so its description is the reason when a screen reader reads it) and returns the line.
 */
export function refuse(list: FieldProblem[]): string {
  const ordered = inPageOrder(list);
  const first = ordered[0];
  if (first) requestAnimationFrame(() => document.getElementById(first.field)?.focus());
  return refusalLine(ordered);
}

const CONTROL_CHARACTERS = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/;

/**
 * A problem when a piece of the examiner's text would be refused by the ledger's `examinerText`
 * (too long, control characters) or is empty where it is required (`ifEmpty` says what to do then).
 * `what` names it in a sentence: "Clue 2's name".
 */
export function checkText(
  field: string,
  what: string,
  text: string,
  max: number,
  ifEmpty: string | null = null,
): FieldProblem[] {
  if (ifEmpty && text.trim() === "") return [{ field, reason: ifEmpty }];
  if (text.length > max) {
    const n = (v: number) => v.toLocaleString("en");
    return [{ field, reason: `${what} is ${n(text.length)} characters long; ${n(max)} at most.` }];
  }
  if (CONTROL_CHARACTERS.test(text)) return [{ field, reason: `${what} holds control characters; type it again.` }];
  return [];
}

/**
 * The reasons coordinate fields give for text they cannot read, kept as they are reported (in a
 * ref, so a save clicked straight after typing sees the reason the field's blur just gave).
 */
export function useCoordinateProblems() {
  const reasons = useRef(new Map<string, string>());
  const report = useCallback((field: string, reason: string | null) => {
    if (reason === null) reasons.current.delete(field);
    else reasons.current.set(field, reason);
  }, []);
  const list = useCallback(
    (): FieldProblem[] => [...reasons.current].map(([field, reason]) => ({ field, reason })),
    [],
  );
  return { report, list };
}

/**
 * A form's save outcome and its checks: `problems` (shown beside the fields once a save has been
 * refused, and gone as each is put right), the alert's `problem` line and the `notice` of what was
 * recorded; `begin()` starts a save and says whether it may go on (when not, the reasons are shown
 * and focus is on the first field to fix). `checks` is what the form's state lacks now.
 */
export function useFormChecks(checks: FieldProblem[]) {
  const [problem, setProblem] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [hasTried, setTried] = useState(false);
  const coordinates = useCoordinateProblems();
  const problems = useMemo(() => (hasTried ? problemsByField(checks) : NO_PROBLEMS), [hasTried, checks]);
  useEffect(() => {
    if (hasTried && problems.size === 0) setProblem(null);
  }, [hasTried, problems]);
  const begin = (): boolean => {
    setProblem(null);
    setNotice(null);
    setTried(true);
    const refused = [...coordinates.list(), ...checks];
    if (refused.length > 0) setProblem(refuse(refused));
    return refused.length === 0;
  };
  return { problem, setProblem, notice, setNotice, problems, begin, reportCoordinate: coordinates.report };
}
