/**
 * The single dispatch table both transports use: method name checked against
 * the contract, input parsed by the contract's schema, the service called, and
 * the outcome turned into a Result. Nothing reaches a service unparsed.
 */
import { contract, isApiMethod, type SightlineServiceApi } from "../../shared/api/contract.js";
import { fail, ok, type Result } from "../../shared/api/result.js";
import { SightlineError } from "./sightlineError.js";

export async function dispatch(service: SightlineServiceApi, method: string, input: unknown): Promise<Result<unknown>> {
  if (!isApiMethod(method)) return fail("not-found", `no API method "${method.slice(0, 64)}"`);
  const parsed = contract[method].input.safeParse(input ?? {});
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    // A refusal written to be read as it is (a form's own words) is not prefixed with the method and field path.
    if (issue?.code === "custom" && issue.params?.isPlain === true) return fail("invalid-input", issue.message);
    const where = issue && issue.path.length > 0 ? `${issue.path.join(".")}: ` : "";
    return fail("invalid-input", `${method}: ${where}${issue?.message ?? "invalid input"}`);
  }
  try {
    const call = service[method] as (input: unknown) => Promise<unknown>;
    return ok(await call.call(service, parsed.data));
  } catch (error) {
    if (error instanceof SightlineError) return fail(error.code, error.message);
    return fail(
      "internal",
      `${method} failed unexpectedly: ${error instanceof Error ? error.message.split("\n")[0] : String(error)}`,
    );
  }
}
