// Backend parity: the WebAssembly core and its portable-JavaScript build run the
// same kernels, so every output must agree to 1e-9 relative (in fact bit for bit).
import { describe, expect, test } from "vitest";
import { fit, fitConstant, predict, simulate, type BackendName, type FitOptions, type MethodName, type VCMoEData } from "../src/index.js";
import { compareDeep, type Diff } from "./helpers/compare.js";
import { report } from "./helpers/data.js";
import { threeComponentData } from "./helpers/three.js";

function expectParity(label: string, d: Diff): void {
  report(`parity ${label}`, { numbers: d.numbers, notIdentical: d.notIdentical, maxRelative: d.maxRelative, worst: d.worstPath });
  expect(d.structural, `${label}: structure`).toEqual([]);
  expect(d.numbers, `${label}: something was compared`).toBeGreaterThan(0);
  expect(d.maxRelative, `${label}: worst at ${d.worstPath}`).toBeLessThanOrEqual(1e-9);
}

async function bothBackends<T>(run: (backend: BackendName) => Promise<T>): Promise<[T, T]> {
  return [await run("wasm"), await run("js")];
}

describe("wasm and js backends give the same fits", async () => {
  const two = (await simulate({ n: 400, seed: 3 })).data;
  const three = threeComponentData(450, 5);
  const sets: Array<{ K: number; data: VCMoEData }> = [{ K: 2, data: two }, { K: 3, data: three }];
  const methods: MethodName[] = ["label-consistent", "local-align"];

  for (const { K, data } of sets) {
    for (const method of methods) {
      test(`K = ${K}, ${method}: every output`, async () => {
        const options: FitOptions = { K, bandwidth: 0.3, method, seed: 4, grid: method === "local-align" ? 15 : 30 };
        const [a, b] = await bothBackends((backend) => fit(data, { ...options, backend }));
        expect(a.model.backend).toBe("wasm");
        expect(b.model.backend).toBe("js");
        expect(a.curves.length).toBe(K * (2 + 1 + 2));
        if (method === "local-align") expect(a.diagnostics.alignment).toBeDefined();
        expectParity(`fit K=${K} ${method}`, compareDeep(a, b, ["model.backend"]));
      });
    }
  }

  test("fitConstant, K = 2 and 3", async () => {
    for (const { K, data } of sets) {
      const [a, b] = await bothBackends((backend) => fitConstant(data, { K, backend, starts: 5 }));
      expectParity(`fitConstant K=${K}`, compareDeep(a, b, ["model.backend"]));
    }
  });

  test("predict on both backends, from fits made on either backend", async () => {
    const f = await fit(three, { K: 3, bandwidth: 0.3, grid: 30, backend: "js" });
    const newData = { u: [-0.05, 0, 0.13, 0.5, 0.77, 1, 1.1], z: { z1: [0.1, -1, 2, 0, 0.5, -0.3, 1] }, x: { x1: [1, 0, -1, 0.2, 2, -2, 0] }, y: [-1, 0, 1, 2, -0.5, 0.4, 1.2] };
    const [a, b] = await bothBackends((backend) => predict(f, newData, { backend }));
    expect(a.posteriors).toBeDefined();
    expectParity("predict", compareDeep(a, b));
  });

  test("simulate", async () => {
    for (const seed of [1, 2 ** 33 + 5]) {
      const [a, b] = await bothBackends((backend) => simulate({ n: 500, seed, backend }));
      expectParity(`simulate seed ${seed}`, compareDeep({ data: a.data, component: a.component }, { data: b.data, component: b.component }));
    }
  });
});
