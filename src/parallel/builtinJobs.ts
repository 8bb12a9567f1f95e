// Every parallel job kind of the library, registered in one place so that the
// worker script and the in-thread runner know the same kinds. Add new kinds here.
import { registerJob } from "./jobs.js";
import { selfTestJob } from "./selftest.js";
import { bootstrapJob, BOOTSTRAP_JOB } from "../inference/bootstrapJob.js";
import { modelChoiceJob, MODEL_CHOICE_JOB } from "./modelChoiceJob.js";
import { glrtJob, GLRT_JOB } from "../inference/glrtReplicate.js";

let done = false;
export function registerBuiltinJobs(): void {
  if (done) return;
  done = true;
  registerJob("vcmoe:selftest", selfTestJob);
  registerJob(BOOTSTRAP_JOB, bootstrapJob);
  registerJob(MODEL_CHOICE_JOB, modelChoiceJob);
  registerJob(GLRT_JOB, glrtJob);
}
