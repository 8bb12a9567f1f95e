// The exported ABI of the numerical core. In the WebAssembly build every array
// parameter is a pointer into the instance's memory (allocated once per fit with
// newF64/newI32); in the portable build the same functions take JS typed arrays.
import { zeroedF64, zeroedI32 } from "./platform";
export { markHeap, resetHeap } from "./platform";
export { exp, log, sin, cos } from "./mathx";
export { expPairLane, logPairLane } from "./simd";
export { estepInterp, estepLocal, estepSmoothed, gatingProbs } from "./estep";
export { mstepGaussian, wlsWorkSize } from "./wls";
export { mstepGating, logitWorkSize } from "./logit";
export { rngSeed, rngNext, rngUniform, rngNormal, fillUniform, fillNormal } from "./rng";
export { familyRowConstants } from "./family";
export { mstepThetaGlobal } from "./families/negbin";
export { mstepGlm, glmWorkSize } from "./irls";
export { lgamma, digamma, trigamma, lgammaDiff, digammaDiff, trigammaDiff, log1p, gammaincP, gammaincQ } from "./special";
export { fillPoisson, fillBinomial, fillNegBin } from "./sample";

/** A zeroed array in the instance's memory (see platform.ts: no redundant fill). */
export function newF64(n: i32): Float64Array {
  return zeroedF64(n);
}

export function newI32(n: i32): Int32Array {
  return zeroedI32(n);
}
export { smootherTrace, smootherWorkSize } from "./smoother";
export { inferCoefCount, inferWorkSize, localSandwich, influenceCov, maxAbsGaussian, choleskyFactor, rowDerivsInterp } from "./infer";
export { rngSeedStream, resampleCounts, simulateMoE } from "./resample";
export { hybridWorkSize, mstepExpertHybrid, globalExpertHybrid, mstepGatingHybrid, globalGatingHybrid } from "./hybrid";
export { hybridGlmWorkSize, mstepExpertHybridGlm, globalExpertHybridGlm } from "./hybridGlm";
