/**
 * Durations in the words the training screens and the exported scorecard share, so the screen and
 * the PDF say the same.
 */

/** "45 minutes", "1 hour", "2 hours 30 minutes", "3 days". */
export function formatMinutes(minutes: number): string {
  const m = Math.round(Math.abs(minutes));
  if (m < 60) return `${m} minute${m === 1 ? "" : "s"}`;
  if (m >= 48 * 60 && m % (24 * 60) === 0) return `${m / (24 * 60)} days`;
  const h = Math.floor(m / 60);
  const rest = m % 60;
  return `${h} hour${h === 1 ? "" : "s"}${rest ? ` ${rest} minute${rest === 1 ? "" : "s"}` : ""}`;
}

/** The time a trainee took: "less than a minute" under one, else as formatMinutes says it. */
export function timeTakenText(minutes: number): string {
  return minutes < 1 ? "less than a minute" : formatMinutes(minutes);
}
