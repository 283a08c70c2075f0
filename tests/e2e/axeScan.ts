/**
 * An accessibility scan (axe-core, WCAG 2.x A and AA rules) of what the page shows now, failing
 * on any violation with the rule, its impact and the first places it was found, so the message
 * says what to fix.
 */
import { AxeBuilder } from "@axe-core/playwright";
import { expect, type Page } from "@playwright/test";

/** Every violation on the page, one line each: the rule, its impact, and up to three places. */
export async function axeViolations(page: Page): Promise<string[]> {
  const { violations } = await new AxeBuilder({ page })
    .withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"])
    .analyze();
  return violations.map(
    (v) =>
      `${v.id} (${v.impact ?? "?"}): ${v.help} — ${v.nodes
        .slice(0, 3)
        .map((n) => `${n.target.join(" ")} [${(n.failureSummary ?? "").replace(/\s+/g, " ").slice(0, 200)}]`)
        .join(" | ")}`,
  );
}

export async function expectNoAxeViolations(page: Page, view: string): Promise<void> {
  expect(await axeViolations(page), `accessibility violations on ${view}`).toEqual([]);
}
