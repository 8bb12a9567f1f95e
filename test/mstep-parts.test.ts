// The local M-step's parts (GridState.mstep): re-estimating only the expert coefficients
// leaves the dispersion and the gating as they were and gives exactly the coefficients
// of a full M-step (the coefficient step does not use the new σ or θ, which come after
// it); the gating alone gives the full step's gating; a dispersion without coefficients
// is refused. Gaussian (closed form) and negative binomial (IRLS, then θ), both backends.
import { describe, expect, test } from "vitest";
import { simulate } from "../src/index.js";
import { createCore, type BackendName } from "../src/core/backend.js";
import { prepareData } from "../src/data/dataset.js";
import { applyFamily, FAMILIES, type FamilyName } from "../src/model/families/index.js";
import { localGrid } from "../src/model/grid.js";
import { makeSpec } from "../src/model/spec.js";
import { runConstant } from "../src/fit/constant.js";
import { CoreData, GridState, type GridParams } from "../src/fit/workspace.js";

async function stateAfterEStep(family: FamilyName, backend: BackendName) {
  const { data } = await simulate({ family, K: 2, n: 500, seed: 4, ...(family === "gaussian" ? { scenario: "mix" as const } : {}) });
  const opts = { K: 2, bandwidth: 0.3, grid: 9, family };
  const ds = prepareData(data, {});
  applyFamily(ds, FAMILIES[family]);
  const spec = makeSpec(opts, ds);
  const cd = new CoreData(await createCore(backend), ds, 2, FAMILIES[family]);
  const sigmaFloor = FAMILIES[family].dispersionFloor(ds, 0.01);
  const init = runConstant(cd, { starts: 2, maxIter: 50, tol: 1e-8, sigmaFloor, seed: 1 });
  const st = new GridState(cd, localGrid(ds, spec.grid, spec.h, spec.kernel));
  st.writeConstant(init.params);
  st.estep();
  return { st, sigmaFloor, start: st.read() };
}

const copy = (P: GridParams) => ({ ...P, alpha: P.alpha.slice(), alphaS: P.alphaS.slice(), phi: P.phi.slice(), gamma: P.gamma.slice(), gammaS: P.gammaS.slice() });

describe.each([["gaussian"], ["negbin"]] as const)("%s", (family) => {
  test.each([["wasm"], ["js"]] as const)("experts only and gating only against the full M-step (%s)", async (backend) => {
    const { st, sigmaFloor, start } = await stateAfterEStep(family, backend);
    const s = { sigmaFloor, maxNewton: 1 };
    st.mstep(0, st.m, s);
    const full = copy(st.read());
    expect(full.phi).not.toEqual(start.phi); // the full step moves the dispersion and the gating
    expect(full.gamma).not.toEqual(start.gamma);

    st.write(start);
    st.mstep(0, st.m, { ...s, parts: { experts: true, dispersion: false, gating: false } });
    const experts = st.read();
    expect(experts.alpha).toEqual(full.alpha);
    expect(experts.alphaS).toEqual(full.alphaS);
    expect(experts.phi).toEqual(start.phi);
    expect(experts.gamma).toEqual(start.gamma);
    expect(experts.gammaS).toEqual(start.gammaS);

    st.write(start);
    st.mstep(0, st.m, { ...s, parts: { experts: false, dispersion: false, gating: true } });
    const gating = st.read();
    expect(gating.gamma).toEqual(full.gamma);
    expect(gating.gammaS).toEqual(full.gammaS);
    expect(gating.alpha).toEqual(start.alpha);
    expect(gating.phi).toEqual(start.phi);

    expect(() => st.mstep(0, st.m, { ...s, parts: { experts: false, dispersion: true, gating: true } })).toThrow(/dispersion/);
  });
});
