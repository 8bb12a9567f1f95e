// Damped Newton ascent with step-halving, shared by the GLM expert step (irls.ts), the
// gating step (logit.ts) and the hybrid gating steps (hybrid.ts). The objective stays
// with the caller (its own arguments and fast paths); the driver asks for evaluations
// ("reverse communication"):
//
//   newtonBegin(...);                       // derivatives at cur already in gr, hs
//   for (let ask = newtonNext(work); ask != NEWTON_DONE; ask = newtonNext(work)) {
//     if (ask == NEWTON_DERIVS) ...         // gradient + Hessian at cur (and the objective, if cheap: tell it)
//     else if (ask == NEWTON_VALUE) ...     // the objective at cur
//     else if (ask == NEWTON_MOVE) ...      // (only after newtonAskMoves()) the step's largest predictor move
//     else ...                              // NEWTON_TRIAL: the objective at trial, derivatives too when newtonTrialDerivs()
//     newtonTell(value, hasValue);
//   }
//   flags |= newtonFlags();
//
// One iteration: factor the negative Hessian (a ridge if needed), Newton step; stop when
// the decrement gᵀH⁻¹g is below convTol·scale; take a step that moves no linear
// predictor by more than `safeMove` (bounded through normScale × the largest block norm
// of the step) without checking — for these concave objectives it provably ascends;
// otherwise halve it (at most `halvings` times) until the objective does not decrease.
// Work layout from `base`: cur[P], trial[P], gr[P], step[P], hs[P²] (lower triangle of
// the negative Hessian), fac[P²].
import { choleskyRidge, cholSolve } from "./linalg";
import { STATUS_NO_ASCENT, STATUS_RIDGE, STATUS_SINGULAR } from "./status";

export const NEWTON_DONE: i32 = 0;
export const NEWTON_DERIVS: i32 = 1;
export const NEWTON_VALUE: i32 = 2;
export const NEWTON_TRIAL: i32 = 3;
export const NEWTON_MOVE: i32 = 4;

/** The scale of the convergence and no-ascent thresholds. */
export const SCALE_FIXED: i32 = 0;     // the value given to newtonBegin (e.g. the total weight)
export const SCALE_CURVATURE: i32 = 1; // |H₀₀| + 1 at the current point (the intercept's curvature)
export const SCALE_OBJECTIVE: i32 = 2; // 1 + |Q| at the current point

/** f64 slots of the work layout for P parameters. */
// @ts-ignore: decorator
@inline export function newtonWorkSize(P: i32): i32 {
  return 4 * P + 2 * P * P;
}

// the ascent in progress (kernels run one at a time)
const AWAIT_NONE: i32 = 0, AWAIT_DERIVS: i32 = 1, AWAIT_VALUE: i32 = 2, AWAIT_TRIAL: i32 = 3, AWAIT_MOVE: i32 = 4;
let nBase: i32 = 0, nP: i32 = 0, nMax: i32 = 0, nHalvings: i32 = 0, nScaleMode: i32 = 0;
let nBlockTab: i32 = -1, nBlocks: i32 = 1, nBlockSize: i32 = 0;
let nConvTol: f64 = 0.0, nScaleFixed: f64 = 0.0, nNormScale: f64 = 0.0, nSafe: f64 = 0.0;
let nIt: i32 = 0, nHalf: i32 = 0, nFlags: i32 = 0, nAwait: i32 = AWAIT_NONE;
let nQ0: f64 = 0.0, nHaveQ0: bool = false, nDec: f64 = 0.0, nScale: f64 = 0.0, nTau: f64 = 1.0, nLast: bool = false;
let nValue: f64 = 0.0, nHasValue: bool = false, nAskMove: bool = false;

/**
 * Starts an ascent of at most maxIter iterations over the P parameters at work[base..).
 * Steps are split into blocks for the safe-move bound: nBlocks blocks of blockSize
 * entries, or (blockTab >= 0) blocks starting at the offsets stored as f64 at
 * work[blockTab .. blockTab + nBlocks) (each ending where the next starts, the last at P).
 * haveQ: Q is the objective at cur.
 */
export function newtonBegin(
  base: i32, P: i32, maxIter: i32, halvings: i32, convTol: f64, scaleMode: i32, scaleFixed: f64,
  normScale: f64, safeMove: f64, blockTab: i32, blocks: i32, blockSize: i32, haveQ: bool, Q: f64,
): void {
  nBase = base; nP = P; nMax = maxIter; nHalvings = halvings; nConvTol = convTol; nScaleMode = scaleMode; nScaleFixed = scaleFixed;
  nNormScale = normScale; nSafe = safeMove; nBlockTab = blockTab; nBlocks = blocks; nBlockSize = blockSize;
  nIt = 0; nFlags = 0; nAwait = AWAIT_NONE; nHaveQ0 = haveQ; nQ0 = Q; nAskMove = false;
}

/**
 * Opt-in (after newtonBegin): when the norm bound cannot show a step safe, ask the caller
 * for the step's exact largest move of a linear predictor (NEWTON_MOVE: the step is at
 * newtonStepOffset(); answer with newtonTell(move, true)) before verifying it. A pass
 * without exp or log that often spares the two passes of a verification.
 */
export function newtonAskMoves(): void {
  nAskMove = true;
}

/** Where the current step lies in the work array (for NEWTON_MOVE). */
// @ts-ignore: decorator
@inline export function newtonStepOffset(): i32 {
  return nBase + 3 * nP;
}

/** Reports the evaluation asked for: the objective (hasValue), or only derivatives. */
export function newtonTell(value: f64, hasValue: bool): void {
  nValue = value;
  nHasValue = hasValue;
}

/** A NEWTON_TRIAL evaluation must also leave derivatives in gr/hs (not on the last iteration). */
// @ts-ignore: decorator
@inline export function newtonTrialDerivs(): bool {
  return !nLast;
}

/** Status flags of the ascent (STATUS_SINGULAR, STATUS_RIDGE, STATUS_NO_ASCENT). */
// @ts-ignore: decorator
@inline export function newtonFlags(): i32 {
  return nFlags;
}

/** Largest Euclidean norm of a block of the step. */
function stepBlockNorm(work: Float64Array, step: i32): f64 {
  let mx = 0.0;
  for (let b = 0; b < nBlocks; b++) {
    let b0 = b * nBlockSize, b1 = b0 + nBlockSize;
    if (nBlockTab >= 0) {
      b0 = i32(unchecked(work[nBlockTab + b]));
      b1 = b + 1 < nBlocks ? i32(unchecked(work[nBlockTab + b + 1])) : nP;
    }
    let s2 = 0.0;
    for (let k = b0; k < b1; k++) { const v = unchecked(work[step + k]); s2 += v * v; }
    mx = Math.max(mx, Math.sqrt(s2));
  }
  return mx;
}

/** Takes the step unchecked (it provably ascends); asks for the derivatives there unless it was the last. */
function takeSafeStep(work: Float64Array): i32 {
  const cur = nBase, step = cur + 3 * nP;
  for (let k = 0; k < nP; k++) unchecked(work[cur + k] = unchecked(work[cur + k]) + unchecked(work[step + k]));
  nHaveQ0 = false;
  if (nLast) return NEWTON_DONE;
  nAwait = AWAIT_DERIVS;
  nHasValue = false;
  return NEWTON_DERIVS;
}

/** Verifies the step: the objective at cur (unless known), then trials with step-halving. */
function beginVerification(work: Float64Array): i32 {
  if (!nHaveQ0) {
    nAwait = AWAIT_VALUE;
    return NEWTON_VALUE;
  }
  nTau = 1.0; nHalf = 0;
  return askTrial(work);
}

/** Writes trial = cur + τ·step and asks for its evaluation. */
function askTrial(work: Float64Array): i32 {
  const cur = nBase, trial = cur + nP, step = trial + 2 * nP;
  for (let k = 0; k < nP; k++) unchecked(work[trial + k] = unchecked(work[cur + k]) + nTau * unchecked(work[step + k]));
  nAwait = AWAIT_TRIAL;
  return NEWTON_TRIAL;
}

/** Advances the ascent; returns what the caller must evaluate next, or NEWTON_DONE. */
export function newtonNext(work: Float64Array): i32 {
  const P = nP, cur = nBase, trial = cur + P, gr = trial + P, step = gr + P, hs = step + P, fac = hs + P * P;
  if (nAwait == AWAIT_MOVE) {
    nAwait = AWAIT_NONE;
    return nValue <= nSafe ? takeSafeStep(work) : beginVerification(work);
  }
  if (nAwait == AWAIT_DERIVS) {
    // derivatives after a safe step (and the objective, if the caller computed it)
    if (nHasValue) { nQ0 = nValue; nHaveQ0 = true; }
    nIt++;
  } else if (nAwait == AWAIT_VALUE) {
    nQ0 = nValue;
    nHaveQ0 = true;
    nTau = 1.0; nHalf = 0;
    return askTrial(work);
  } else if (nAwait == AWAIT_TRIAL) {
    if (nValue >= nQ0) {
      nQ0 = nValue;
      for (let k = 0; k < P; k++) unchecked(work[cur + k] = unchecked(work[trial + k]));
      nIt++;
    } else {
      nTau *= 0.5;
      nHalf++;
      if (nHalf < nHalvings) return askTrial(work);
      // at roundoff level a rejected step is convergence, not failure
      if (nDec > 1e-8 * nScale) nFlags |= STATUS_NO_ASCENT;
      nAwait = AWAIT_NONE;
      return NEWTON_DONE;
    }
  }
  nAwait = AWAIT_NONE;
  if (nIt >= nMax) return NEWTON_DONE;
  const ridge = choleskyRidge(work, fac, work, hs, P);
  if (ridge < 0.0) { nFlags |= STATUS_SINGULAR; return NEWTON_DONE; }
  if (ridge > 0.0) nFlags |= STATUS_RIDGE;
  for (let k = 0; k < P; k++) unchecked(work[step + k] = unchecked(work[gr + k]));
  cholSolve(work, fac, P, work, step);
  let dec = 0.0;
  for (let k = 0; k < P; k++) dec += unchecked(work[gr + k]) * unchecked(work[step + k]);
  nDec = dec;
  nScale = nScaleMode == SCALE_FIXED ? nScaleFixed
    : nScaleMode == SCALE_CURVATURE ? Math.abs(unchecked(work[hs])) + 1.0 : 1.0 + Math.abs(nQ0);
  if (!(dec > nConvTol * nScale)) return NEWTON_DONE; // converged: the attainable gain is negligible
  nLast = nIt + 1 >= nMax;
  if (nNormScale * stepBlockNorm(work, step) <= nSafe) return takeSafeStep(work);
  if (nAskMove) {
    nAwait = AWAIT_MOVE;
    return NEWTON_MOVE;
  }
  return beginVerification(work);
}
