// Model-choice tasks (cross-validation folds) run on the worker pool give the same
// results as the in-process runner that selectBandwidth uses.
import { expect, test } from "vitest";
import { runParallel, simulate } from "../../src/index.js";
import { prepareData } from "../../src/data/dataset.js";
import { plainDataFrom } from "../../src/select/plainData.js";
import { assignFolds } from "../../src/select/folds.js";
import { fitSettingsOf } from "../../src/select/bandwidth.js";
import { runCvTask, runTasks, type CvContext, type CvTask } from "../../src/select/tasks.js";
import { MODEL_CHOICE_JOB } from "../../src/select/modelChoiceJob.js";

test("cross-validation folds on 2 workers = in-process", { timeout: 120_000 }, async () => {
  const { data } = await simulate({ n: 300, seed: 4 });
  const options = { K: 2, grid: 10, seed: 1, starts: 3 };
  const ds = prepareData(data, {});
  const ctx: CvContext = { data: plainDataFrom(data, ds), folds: await assignFolds(ds.n, 3, 1, "wasm"), fit: { ...fitSettingsOf(options as never), backend: "wasm" }, uRange: ds.uRange };
  const tasks: CvTask[] = [0.3, 0.45].flatMap((bandwidth, candidate) => [0, 1, 2].map((fold) => ({ kind: "cv-fold" as const, candidate, bandwidth, fold })));
  const local = await runTasks(ctx, tasks, runCvTask);
  const pooled = await runParallel({ kind: MODEL_CHOICE_JOB, payload: { context: ctx, tasks }, count: tasks.length }, { workers: 2 });
  expect(pooled.failed).toBe(0);
  // everything but the wall-clock time of each task
  const strip = (r: unknown) => ({ ...(r as object), ms: 0 });
  expect(pooled.outcomes.map((o) => strip(o.ok ? o.value : o.error))).toEqual(local.map(strip));
});
