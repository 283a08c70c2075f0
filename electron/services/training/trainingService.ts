/**
 * The training services behind `trainingContract` (shared/api/trainingContract.ts, docs/TRAINING.md):
 * the sample packages a trainer can run, an exercise started from one into a fresh case, its hints,
 * the submission that freezes the work and is scored against the answer key, the scorecard and its
 * exports, and a sample authored from a case. This class only delegates: each topic lives in its
 * own module beside it.
 */
import type { ApiOutput, ApiParsedInput } from "../../../shared/api/contract.js";
import { startExercise } from "./exerciseStart.js";
import { getExercise, getScorecard, openHint, submitExercise } from "./exerciseWork.js";
import { authorSample } from "./sampleAuthoring.js";
import { inspectSample, listSamples } from "./sampleLibrary.js";
import { exportScorecard } from "./scorecardExport.js";
import type { TrainingTools } from "./trainingTools.js";

export type { TrainingTools } from "./trainingTools.js";

export class TrainingService {
  constructor(private readonly tools: TrainingTools) {}

  listSamples(_input: ApiParsedInput<"listSamples">): Promise<ApiOutput<"listSamples">> {
    return listSamples();
  }
  inspectSample(input: ApiParsedInput<"inspectSample">): Promise<ApiOutput<"inspectSample">> {
    return inspectSample(input.path);
  }
  startExercise(input: ApiParsedInput<"startExercise">): Promise<ApiOutput<"startExercise">> {
    return startExercise(this.tools, input);
  }
  getExercise(input: ApiParsedInput<"getExercise">): Promise<ApiOutput<"getExercise">> {
    return getExercise(this.tools, input);
  }
  openHint(input: ApiParsedInput<"openHint">): Promise<ApiOutput<"openHint">> {
    return openHint(this.tools, input);
  }
  submitExercise(input: ApiParsedInput<"submitExercise">): Promise<ApiOutput<"submitExercise">> {
    return submitExercise(this.tools, input);
  }
  getScorecard(input: ApiParsedInput<"getScorecard">): Promise<ApiOutput<"getScorecard">> {
    return getScorecard(this.tools, input);
  }
  exportScorecard(input: ApiParsedInput<"exportScorecard">): Promise<ApiOutput<"exportScorecard">> {
    return exportScorecard(this.tools, input);
  }
  authorSample(input: ApiParsedInput<"authorSample">): Promise<ApiOutput<"authorSample">> {
    return authorSample(this.tools, input);
  }
}
