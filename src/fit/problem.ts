// Stage 1 of a fit: the caller's data and options validated into one problem — the
// prepared rows, the family's driver, the specification, the local grid and the
// constant coefficients of a hybrid model. Everything that can be wrong with the
// input is rejected here, before any computing. The rows are standardised here
// (./scaling.ts): every later stage computes on the internal scale, and the report
// (./report.ts) maps the results back to the caller's.
import { resolveBackend, type BackendName } from "../core/backend.js";
import { prepareData, type Dataset, type VCMoEData } from "../data/dataset.js";
import { VCMoEInputError } from "../errors.js";
import { resolveConstants, type HybridMasks } from "../model/constants.js";
import { applyFamily, FAMILIES, familyOf, type FamilyDriver } from "../model/families/index.js";
import { localGrid, type LocalGrid } from "../model/grid.js";
import { makeSpec, type FitOptions, type Spec } from "../model/spec.js";
import { internalData, type Scaling } from "./scaling.js";

export interface FitProblem {
  /** The prepared rows on the internal scale (y, Z, X divided by `scaling`). */
  ds: Dataset;
  /** The same rows on the caller's scale (what the model info describes and fingerprints). */
  raw: Dataset;
  /** The scales of y, Z and X (./scaling.ts); the report divides them out again. */
  scaling: Scaling;
  family: FamilyDriver;
  /** What the family reports about the data (binomial: zeroTrialRows). */
  familyReport: Record<string, number>;
  spec: Spec;
  local: LocalGrid;
  /** Hybrid models: the coefficients held constant in u (null: every coefficient varies). */
  masks: HybridMasks | null;
  backend: BackendName;
}

/** `minK` is 2 for fit(); model choice passes 1 (the plain varying-coefficient regression). */
export function prepareProblem(data: VCMoEData, options: FitOptions, minK: number): FitProblem {
  const raw = prepareData(data, options ?? ({} as FitOptions));
  const requested = familyOf(options?.family);
  const familyReport = applyFamily(raw, requested);
  const { ds, scaling } = internalData(raw, requested);
  const spec = makeSpec(options, ds, minK);
  const family = FAMILIES[spec.family];
  const local = localGrid(ds, spec.grid, spec.h, spec.kernel);
  const masks = resolveConstants(options.constant, ds, spec.K);
  if (masks && spec.method !== "label-consistent") throw new VCMoEInputError("options.constant", "hybrid models need method 'label-consistent'");
  if (masks && !family.dispersion && masks.constS.some((v) => v !== 0)) {
    throw new VCMoEInputError("options.constant", `part 'sigma' (the dispersion) does not exist for the '${spec.family}' family`);
  }
  if (masks && options.refine === true) throw new VCMoEInputError("options.refine", "local refinement would let the constant coefficients vary; hybrid fits use the label-consistent EM only (omit refine or pass false)");
  return { ds, raw, scaling, family, familyReport, spec, local, masks, backend: resolveBackend(options.backend) };
}
