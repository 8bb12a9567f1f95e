// Model-choice tasks (src/select/tasks.ts: cross-validation folds, candidate K fits)
// as a pool job kind: the payload carries the shared context and the task list,
// task i runs MODEL_CHOICE_TASKS[tasks[i].kind](context, tasks[i]). selectBandwidth /
// selectK can hand their tasks to runParallel({ kind: MODEL_CHOICE_JOB, payload:
// { context, tasks }, count: tasks.length }) instead of running them in-process.
import { registerJob, type JobHandler } from "../parallel/jobs.js";
import { MODEL_CHOICE_TASKS } from "./tasks.js";

export const MODEL_CHOICE_JOB = "vcmoe:model-choice";

export interface ModelChoicePayload {
  context: unknown;
  tasks: Array<{ kind: keyof typeof MODEL_CHOICE_TASKS }>;
}

const modelChoiceJob: JobHandler<ModelChoicePayload, ModelChoicePayload, unknown> = {
  setup: (payload) => payload,
  run(p, index) {
    const task = p.tasks[index];
    const fn = MODEL_CHOICE_TASKS[task.kind] as (ctx: unknown, task: unknown) => Promise<unknown>;
    if (typeof fn !== "function") throw new Error(`unknown model-choice task kind '${String(task.kind)}'`);
    return fn(p.context, task);
  },
};
registerJob(MODEL_CHOICE_JOB, modelChoiceJob);
