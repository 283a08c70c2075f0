/**
 * The training services behind `trainingContract` (shared/api/trainingContract.ts, docs/TRAINING.md):
 * the sample packages a trainer can run, an exercise started from one into a fresh case, its hints,
 * the submission that freezes the work and is scored against the answer key, the scorecard and its
 * exports, and a sample authored from a case. This class only delegates: each topic lives in its
 * own module beside it.
 */
import type { ApiOutput, ApiParsedInput } from "../../../shared/api/contract.js";
import { SightlineError } from "../sightlineError.js";

function notYet(method: string): never {
  throw new SightlineError("internal", `${method} is not available in this build yet`);
}

export class TrainingService {
  listSamples(_input: ApiParsedInput<"listSamples">): Promise<ApiOutput<"listSamples">> {
    return notYet("listSamples");
  }
  inspectSample(_input: ApiParsedInput<"inspectSample">): Promise<ApiOutput<"inspectSample">> {
    return notYet("inspectSample");
  }
  startExercise(_input: ApiParsedInput<"startExercise">): Promise<ApiOutput<"startExercise">> {
    return notYet("startExercise");
  }
  getExercise(_input: ApiParsedInput<"getExercise">): Promise<ApiOutput<"getExercise">> {
    return notYet("getExercise");
  }
  openHint(_input: ApiParsedInput<"openHint">): Promise<ApiOutput<"openHint">> {
    return notYet("openHint");
  }
  submitExercise(_input: ApiParsedInput<"submitExercise">): Promise<ApiOutput<"submitExercise">> {
    return notYet("submitExercise");
  }
  getScorecard(_input: ApiParsedInput<"getScorecard">): Promise<ApiOutput<"getScorecard">> {
    return notYet("getScorecard");
  }
  exportScorecard(_input: ApiParsedInput<"exportScorecard">): Promise<ApiOutput<"exportScorecard">> {
    return notYet("exportScorecard");
  }
  authorSample(_input: ApiParsedInput<"authorSample">): Promise<ApiOutput<"authorSample">> {
    return notYet("authorSample");
  }
}
