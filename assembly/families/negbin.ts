// Negative-binomial experts, log link, size θ = φ (Var = μ + μ²/θ):
// log f = lΓ(y+θ) − lΓ(θ) − log y! − (θ+y) log(1 + μ/θ) + y (η − log θ).
//
// Besides its per-row function the family has a dispersion step: Newton steps in log θ,
// locally at each grid point (θ_c(u) locally constant, like σ) after the IRLS step of
// the coefficients (irls.ts), or globally (one θ_c per component: mstepThetaGlobal).
import { exp, log, expInline } from "../mathx";
import { lgamma, lgammaDiff, digammaDiff, trigammaDiff, log1pFromLog, softplusFrom, logisticFrom, softplusPairFrom } from "../special";
import { setTerms, setTermsB, setDerivs, TERMS, T_WEIGHT, DENSITY_PAIR, TERM_VALUES, nextWeighted } from "./terms";
import { Rows, Grid, AUX_WIDTH } from "../abi";
import { STATUS_DISPERSION_BOUND } from "../status";
import { localPredictor } from "../kernel";
import { highWord, lowWord } from "../platform";
import { exp2x, log2x, PAIR } from "../simd";

/** Bounds of θ (hits are flagged with STATUS_DISPERSION_BOUND). */
export const THETA_MIN: f64 = 1e-4;
export const THETA_MAX: f64 = 1e8;

// Memo of the θ-only parts of log f, log θ and lΓ(y+θ) − lΓ(θ) for counts y < MEMO_Y.
// The E-steps visit every row at each grid point whose window holds it, with only K
// distinct θ per grid point (one per component, and one per component for a whole
// global fit), so these two values were recomputed ~2h·m times per row and EM step for
// a handful of θ: about a third of the negative-binomial E-step's log calls. Entries
// are the functions' own results (bit-identical to calling them); a θ picks one of
// MEMO_SETS sets by a hash of its bits, each set holding log θ and one lΓ difference
// per count, tagged with the θ it was computed for. Collisions only cost recomputation.
const MEMO_Y: i32 = 256;
const MEMO_SETS: i32 = 16;
const MEMO_LOG = new Float64Array(2 * MEMO_SETS);          // per set: θ (tag), log θ
const MEMO_LGD = new Float64Array(2 * MEMO_SETS * MEMO_Y); // per set and count: θ (tag), lΓ(y+θ) − lΓ(θ)
for (let k = 0; k < 2 * MEMO_SETS; k += 2) unchecked(MEMO_LOG[k] = NaN); // a NaN tag equals no θ: all empty
for (let k = 0; k < 2 * MEMO_SETS * MEMO_Y; k += 2) unchecked(MEMO_LGD[k] = NaN);

// @ts-ignore: decorator
@inline function memoSet(phi: f64): i32 {
  const hsh = highWord(phi) ^ lowWord(phi);
  return (hsh ^ (hsh >>> 4) ^ (hsh >>> 12) ^ (hsh >>> 20)) & (MEMO_SETS - 1);
}

/** log θ, memoised (= log(phi)). */
// @ts-ignore: decorator
@inline function memoLogTheta(phi: f64, set: i32): f64 {
  const k = 2 * set;
  if (unchecked(MEMO_LOG[k]) == phi) return unchecked(MEMO_LOG[k + 1]);
  const v = log(phi);
  unchecked(MEMO_LOG[k] = phi);
  unchecked(MEMO_LOG[k + 1] = v);
  return v;
}

/** lΓ(y+θ) − lΓ(θ), memoised for integer counts below MEMO_Y (= lgammaDiff(phi, y)). */
// @ts-ignore: decorator
@inline function memoLgammaDiff(phi: f64, y: f64, set: i32): f64 {
  if (!(y >= 0.0 && y < f64(MEMO_Y))) return lgammaDiff(phi, y);
  const yk = i32(y);
  if (f64(yk) != y) return lgammaDiff(phi, y);
  const k = 2 * (set * MEMO_Y + yk);
  if (unchecked(MEMO_LGD[k]) == phi) return unchecked(MEMO_LGD[k + 1]);
  const v = lgammaDiff(phi, y);
  unchecked(MEMO_LGD[k] = phi);
  unchecked(MEMO_LGD[k + 1] = v);
  return v;
}

/** log f(y | η, θ), lc = −log y!. */
// @ts-ignore: decorator
@inline export function negbinLogDensity(y: f64, eta: f64, phi: f64, lc: f64): f64 {
  const set = memoSet(phi);
  const arg = eta - memoLogTheta(phi, set);
  const e = expInline(-Math.abs(arg));
  return memoLgammaDiff(phi, y, set) + lc - (phi + y) * softplusFrom(arg, e) + y * arg;
}

/** Two components' log f(y | η_c, θ_c) of one row into DENSITY_PAIR: negbinLogDensity's arithmetic, its exp and log in two f64x2 lanes (simd.ts). */
// @ts-ignore: decorator
@inline export function negbinLogDensityPair(y: f64, eta0: f64, eta1: f64, phi0: f64, phi1: f64, lc: f64): void {
  const set0 = memoSet(phi0), set1 = memoSet(phi1);
  const arg0 = eta0 - memoLogTheta(phi0, set0), arg1 = eta1 - memoLogTheta(phi1, set1);
  exp2x(-Math.abs(arg0), -Math.abs(arg1));
  softplusPairFrom(arg0, unchecked(PAIR[0]), arg1, unchecked(PAIR[1]));
  const sp0 = unchecked(PAIR[0]), sp1 = unchecked(PAIR[1]);
  unchecked(DENSITY_PAIR[0] = memoLgammaDiff(phi0, y, set0) + lc - (phi0 + y) * sp0 + y * arg0);
  unchecked(DENSITY_PAIR[1] = memoLgammaDiff(phi1, y, set1) + lc - (phi1 + y) * sp1 + y * arg1);
}

/**
 * IRLS terms at η with weight a and fixed θ = phi (lphi = log θ; see families/terms.ts):
 * the binomial's logistic form with y + θ trials and argument η − log θ; returns
 * a·(y η − (y + θ) log(1 + μ/θ)) when needValue.
 */
// @ts-ignore: decorator
@inline export function negbinTerms(y: f64, eta: f64, phi: f64, lphi: f64, a: f64, needValue: bool): f64 {
  const mm = y + phi, arg = eta - lphi;
  const e = expInline(-Math.abs(arg));
  const sg = logisticFrom(arg, e);
  setTerms(y - mm * sg, mm * sg * (1.0 - sg), a * phi * (arg < 0.0 ? e : 1.0 / e), 0.0);
  return needValue ? a * (y * eta - mm * softplusFrom(arg, e)) : 0.0;
}

/** negbinTerms of two rows (A into TERMS, B into TERMS_B; values into TERM_VALUES): their exps in one exp2x and, for the values, their logs in one log2x (bit-identical lanes). */
// @ts-ignore: decorator
@inline export function negbinTermsPair(
  yA: f64, etaA: f64, aA: f64, yB: f64, etaB: f64, aB: f64, phi: f64, lphi: f64, needValue: bool,
): void {
  const mA = yA + phi, argA = etaA - lphi, mB = yB + phi, argB = etaB - lphi;
  exp2x(-Math.abs(argA), -Math.abs(argB));
  const eA = unchecked(PAIR[0]), eB = unchecked(PAIR[1]);
  const sA = logisticFrom(argA, eA), sB = logisticFrom(argB, eB);
  setTerms(yA - mA * sA, mA * sA * (1.0 - sA), aA * phi * (argA < 0.0 ? eA : 1.0 / eA), 0.0);
  setTermsB(yB - mB * sB, mB * sB * (1.0 - sB), aB * phi * (argB < 0.0 ? eB : 1.0 / eB), 0.0);
  if (!needValue) return;
  softplusPairFrom(argA, eA, argB, eB);
  unchecked(TERM_VALUES[0] = aA * (yA * etaA - mA * unchecked(PAIR[0])));
  unchecked(TERM_VALUES[1] = aB * (yB * etaB - mB * unchecked(PAIR[1])));
}

/**
 * Derivatives of log f in (η, φ = log θ) for the inference kernels (families/terms.ts
 * DERIVS), with s = μ/(μ + θ): ∂η = y − (y + θ)s, −∂²η = (y + θ)s(1 − s);
 * ∂φ = θ[ψ(y+θ) − ψ(θ) − log(1 + μ/θ)] + (θ + y)s − y (the θ step's G, thetaPass);
 * ∂²φ = θ[ψ(y+θ) − ψ(θ)] + θ²[ψ'(y+θ) − ψ'(θ)] − θ log(1 + μ/θ) + 2θs − (θ + y)s(1 − s) (thetaPass's H);
 * −∂²η∂φ = (μ − y) s (1 − s).
 */
// @ts-ignore: decorator
@inline export function negbinDerivs(y: f64, eta: f64, phi: f64): void {
  const arg = eta - log(phi);
  const e = exp(-Math.abs(arg));
  const sg = logisticFrom(arg, e), sp = softplusFrom(arg, e);
  const s1 = sg * (1.0 - sg), mu = exp(eta);
  const dg = digammaDiff(phi, y), tg = trigammaDiff(phi, y);
  const g = phi * dg - phi * sp + (phi + y) * sg - y;
  const hh = phi * dg + phi * phi * tg - phi * sp + 2.0 * phi * sg - (phi + y) * s1;
  setDerivs(y - (y + phi) * sg, (y + phi) * s1, g, -hh, (mu - y) * s1);
}

/** The row constant −log y!. */
// @ts-ignore: decorator
@inline export function negbinConstant(y: f64): f64 {
  return -lgamma(y + 1.0);
}

/** Data start: working response log(y + ½) and its weight μ₀/(1 + μ₀/θ). */
// @ts-ignore: decorator
@inline export function negbinStart(y: f64, phi: f64): f64 {
  const mu0 = y + 0.5;
  unchecked(TERMS[T_WEIGHT] = mu0 / (1.0 + mu0 / phi));
  return log(mu0);
}

/** Counts up to this value take their lgamma/digamma/trigamma differences from per-pass tables. */
const TABLE_MAX: i32 = 128;
// thetaPass's work slots from dOff: G, H; the derivative pass's sums for the trial bound
// (thetaTrialBound); the tables of the pass (lΓ, ψ, ψ' differences); the lΓ table of a
// bounded trial point.
const W_SUMS: i32 = 2;               // Σa, Σa·sp, Σa(θ+y)sp, Σa(θ+y), Σa|lgd|, Σa·y
const W_TL: i32 = W_SUMS + 6;
const W_TD: i32 = W_TL + TABLE_MAX + 1;
const W_TT: i32 = W_TD + TABLE_MAX + 1;
const W_TL2: i32 = W_TT + TABLE_MAX + 1;
/** work slots used by thetaNewton from dOff. */
export const THETA_WORK: i32 = W_TL2 + TABLE_MAX + 1;

/**
 * Writes the table of lΓ(θ+v) − lΓ(θ) = Σ_{k<v} log(θ+k), v = 0..top (top <= TABLE_MAX: the
 * largest count the pass meets), to work[tl..]; with derivs, also ψ and ψ' differences.
 */
// @ts-ignore: decorator
@inline function thetaTables(theta: f64, needDerivs: bool, work: Float64Array, tl: i32, td: i32, tt: i32, top: i32): void {
  let sl = 0.0, sd = 0.0, st = 0.0;
  // the logs of two consecutive entries at once (log2x), the sums in order
  for (let v = 0; v <= top; v += 2) {
    const x0 = theta + f64(v), x1 = theta + f64(v + 1);
    log2x(x0, x1);
    const l1 = unchecked(PAIR[1]);
    unchecked(work[tl + v] = sl);
    if (needDerivs) { unchecked(work[td + v] = sd); unchecked(work[tt + v] = st); }
    sl += unchecked(PAIR[0]);
    if (needDerivs) { sd += 1.0 / x0; st -= 1.0 / (x0 * x0); }
    if (v + 1 > top) break;
    unchecked(work[tl + v + 1] = sl);
    if (needDerivs) { unchecked(work[td + v + 1] = sd); unchecked(work[tt + v + 1] = st); }
    sl += l1;
    if (needDerivs) { sd += 1.0 / x1; st -= 1.0 / (x1 * x1); }
  }
}


/**
 * Weighted negative-binomial log-likelihood in φ = log θ over rows i0..i1 with
 * weights a_i = scr[n+i] and means μ_i = scr[2n+i] (terms free of θ
 * dropped); its first and second derivatives in φ go to work[dOff], work[dOff+1],
 * and the sums thetaTrialBound needs to work[dOff + W_SUMS ..].
 * θ is the same for every row, so lΓ(θ+y) − lΓ(θ), ψ(θ+y) − ψ(θ), ψ'(θ+y) − ψ'(θ)
 * for small counts y come from tables built once per pass (finite sums).
 */
function thetaPass(
  i0: i32, i1: i32, n: i32, y: Float64Array, scr: Float64Array, phiLog: f64,
  needDerivs: bool, work: Float64Array, dOff: i32, top: i32,
): f64 {
  const theta = exp(phiLog);
  const tl = dOff + W_TL, td = dOff + W_TD, tt = dOff + W_TT;
  thetaTables(theta, needDerivs, work, tl, td, tt, top);
  let Q = 0.0, G = 0.0, H = 0.0;
  let sa = 0.0, ssp = 0.0, stsp = 0.0, st = 0.0, slg = 0.0, sy = 0.0;
  // rows with a != 0 two at a time: their logs log(1 + μ/θ) together (log2x), then each
  // row's terms in row order (the sums are those of a row-by-row loop, bit for bit)
  let i = i0;
  for (;;) {
    i = nextWeighted(i, i1, n, scr);
    if (i >= i1) break;
    const i2 = nextWeighted(i + 1, i1, n, scr);
    const rA = unchecked(scr[2 * n + i]) / theta, uA = 1.0 + rA;
    let rB = 0.0, cnt = 1;
    if (i2 < i1) {
      rB = unchecked(scr[2 * n + i2]) / theta;
      log2x(uA, 1.0 + rB);
      cnt = 2;
    } else {
      unchecked(PAIR[0] = log(uA));
    }
    for (let t = 0; t < cnt; t++) {
      const row = t == 0 ? i : i2, r = t == 0 ? rA : rB;
      const a = unchecked(scr[n + row]);
      const yi = unchecked(y[row]);
      const sp = log1pFromLog(r, 1.0 + r, unchecked(PAIR[t])); // log(1 + μ/θ)
      if (!needDerivs) {
        // the objective only (trial points): no μ/(μ + θ), no derivative tables
        const lgd = yi <= f64(TABLE_MAX) ? unchecked(work[tl + i32(yi)]) : lgammaDiff(theta, yi);
        Q += a * (lgd - (theta + yi) * sp - yi * phiLog);
        continue;
      }
      const sg = r / (1.0 + r); // μ / (μ + θ)
      const small = yi <= f64(TABLE_MAX);                     // counts are integers (checked on input)
      const yk = small ? i32(yi) : 0;
      const lgd = small ? unchecked(work[tl + yk]) : lgammaDiff(theta, yi);
      Q += a * (lgd - (theta + yi) * sp - yi * phiLog);
      const dg = small ? unchecked(work[td + yk]) : digammaDiff(theta, yi);
      const tg = small ? unchecked(work[tt + yk]) : trigammaDiff(theta, yi);
      G += a * (theta * dg - theta * sp + (theta + yi) * sg - yi);
      H += a * (theta * dg + theta * theta * tg - theta * sp + 2.0 * theta * sg - (theta + yi) * sg * (1.0 - sg));
      const aty = a * (theta + yi);
      sa += a; ssp += a * sp; stsp += aty * sp; st += aty; slg += a * Math.abs(lgd); sy += a * yi;
    }
    if (cnt < 2) break;
    i = i2 + 1;
  }
  if (!needDerivs) return Q;
  unchecked(work[dOff] = G);
  unchecked(work[dOff + 1] = H);
  const o = dOff + W_SUMS;
  unchecked(work[o] = sa); unchecked(work[o + 1] = ssp); unchecked(work[o + 2] = stsp);
  unchecked(work[o + 3] = st); unchecked(work[o + 4] = slg); unchecked(work[o + 5] = sy);
  return Q;
}

/** Unit roundoff 2^-53. */
const ROUNDOFF: f64 = 1.1102230246251565e-16;

/**
 * Shows without logarithms, when it can, that the trial point φt does not lower the
 * objective below the derivative pass's value at φ (thetaPass(φ, true) must be the last
 * pass: its tables and sums are used). With θt = e^φt, Δθ = θt − θ, D_i = θ + μ_i and
 * x_i = Δθ/D_i, the objective's change is exactly
 *   Σ a_i [Δlgd_i − (θt + y_i) log1p(x_i)] − Δθ Σ a_i sp_i + θt (φt − φ) Σ a_i
 * (sp_i = log(1 + μ_i/θ)), and log1p(x) <= x − x²/2 + [x > 0] x³/3 turns it into a lower
 * bound from rational operations. The step is accepted when that bound exceeds every
 * rounding error of the two computed objectives and of the bound itself (a multiple of
 * (rows + 16)·u times the sums of the magnitudes involved), so the computed objective
 * at φt (thetaPass) is certainly >= the one at φ: the same decision as the exact check,
 * hence the same result, without its logarithm per row. Otherwise (e.g. steps whose
 * gain is at roundoff level, |x_i| > ½) returns false and the caller evaluates exactly.
 */
function thetaTrialBound(
  i0: i32, i1: i32, n: i32, y: Float64Array, scr: Float64Array, phiLog: f64, phiT: f64, work: Float64Array, dOff: i32, top: i32,
): bool {
  const theta = exp(phiLog), thetaT = exp(phiT);
  const tl = dOff + W_TL, tl2 = dOff + W_TL2;
  thetaTables(thetaT, false, work, tl2, 0, 0, top);
  const dth = thetaT - theta, dphi = phiT - phiLog;
  const cubic = dth > 0.0 ? 1.0 / 3.0 : 0.0;
  let L = 0.0, mag = 0.0, slgT = 0.0;
  for (let i = i0; i < i1; i++) {
    const a = unchecked(scr[n + i]);
    if (a == 0.0) continue;
    const yi = unchecked(y[i]);
    const x = dth / (theta + unchecked(scr[2 * n + i]));
    if (!(Math.abs(x) <= 0.5)) return false;
    const U = x * (1.0 - x * (0.5 - cubic * x)); // >= log1p(x)
    let lgdT: f64, lgd0: f64;
    if (yi <= f64(TABLE_MAX)) {
      const yk = i32(yi);
      lgdT = unchecked(work[tl2 + yk]);
      lgd0 = unchecked(work[tl + yk]);
    } else {
      lgdT = lgammaDiff(thetaT, yi);
      lgd0 = lgammaDiff(theta, yi);
    }
    const tyU = (thetaT + yi) * U;
    L += a * ((lgdT - lgd0) - tyU);
    mag += a * (Math.abs(lgdT) + Math.abs(lgd0) + Math.abs(tyU));
    slgT += a * Math.abs(lgdT);
  }
  const o = dOff + W_SUMS;
  const sa = unchecked(work[o]), ssp = unchecked(work[o + 1]), stsp = unchecked(work[o + 2]);
  const st = unchecked(work[o + 3]), slg = unchecked(work[o + 4]), sy = unchecked(work[o + 5]);
  const bound = L - dth * ssp + thetaT * dphi * sa;
  // magnitudes: the objective at φ, at φt (log(1 + μ/θt) <= sp + |Δφ|, θt + y <= max(1, θt/θ)(θ + y)), the bound's terms
  const grow = Math.max(1.0, thetaT / theta);
  const m0 = slg + stsp + Math.abs(phiLog) * sy;
  const mT = slgT + grow * (stsp + Math.abs(dphi) * st) + Math.abs(phiT) * sy;
  const mB = mag + Math.abs(dth) * ssp + thetaT * Math.abs(dphi) * sa;
  return bound > 8.0 * f64(i1 - i0 + 16) * ROUNDOFF * (m0 + mT + mB);
}

/**
 * Newton steps in φ = log θ (at most maxIter, each |Δφ| <= 2, step-halving so the
 * weighted likelihood never decreases; a gradient step of length 1 where the
 * objective is not concave). θ stays in [THETA_MIN, THETA_MAX]. The full step is first
 * tried by thetaTrialBound (the same decision without a logarithm per row).
 */
export function thetaNewton(
  i0: i32, i1: i32, n: i32, y: Float64Array, scr: Float64Array, theta: f64, sumA: f64,
  maxIter: i32, work: Float64Array, dOff: i32,
): f64 {
  const lo = log(THETA_MIN), hi = log(THETA_MAX);
  let phiLog = Math.min(hi, Math.max(lo, log(theta)));
  // the tables need only reach the largest count among the rows (counts are often far below TABLE_MAX)
  let yTop = 0.0;
  for (let i = i0; i < i1; i++) if (unchecked(scr[n + i]) != 0.0) yTop = Math.max(yTop, unchecked(y[i]));
  const top = i32(Math.min(yTop, f64(TABLE_MAX)));
  for (let it = 0; it < maxIter; it++) {
    const Q0 = thetaPass(i0, i1, n, y, scr, phiLog, true, work, dOff, top);
    const G = unchecked(work[dOff]), H = unchecked(work[dOff + 1]);
    if (!Number.isFinite(Q0) || !Number.isFinite(G) || !Number.isFinite(H)) break;
    let delta = 0.0;
    if (H < 0.0) {
      if (G * G <= -H * 1e-12 * (sumA + 1e-300)) break; // Newton decrement ~ 0
      delta = -G / H;
    } else {
      if (G == 0.0) break;
      delta = G > 0.0 ? 1.0 : -1.0;
    }
    delta = Math.max(-2.0, Math.min(2.0, delta));
    const target = Math.min(hi, Math.max(lo, phiLog + delta));
    const full = target - phiLog;
    if (full == 0.0) break;
    let tau = 1.0, accepted = false;
    for (let half = 0; half < 30; half++) {
      const trial = phiLog + tau * full;
      if (half == 0 && thetaTrialBound(i0, i1, n, y, scr, phiLog, trial, work, dOff, top)) { phiLog = trial; accepted = true; break; }
      const Qt = thetaPass(i0, i1, n, y, scr, trial, false, work, dOff, top);
      if (Qt >= Q0) { phiLog = trial; accepted = true; break; }
      tau *= 0.5;
    }
    if (!accepted) break;
  }
  return exp(phiLog);
}

/** θ at (or within roundoff of) a bound. */
// @ts-ignore: decorator
@inline export function atThetaBound(theta: f64): bool {
  return theta <= THETA_MIN * 1.000001 || theta >= THETA_MAX * 0.999999;
}

/**
 * The local θ step of grid point window i0..i1 after its coefficients (work[cur..cur+d),
 * design [z, z·s] with s = scr[i], weights a_i = scr[n+i]): means at the new
 * coefficients into scr[2n+i], then Newton steps from θ (fresh != 0: from the
 * method-of-moments estimate, Var = μ + μ²/θ). Returns the new θ.
 */
export function thetaStepLocal(
  i0: i32, i1: i32, n: i32, q: i32, d: i32, y: Float64Array, Z: Float64Array, aux: Float64Array, scr: Float64Array,
  work: Float64Array, cur: i32, fresh: i32, theta: f64, sumA: f64, maxIter: i32, dOff: i32,
): f64 {
  let m1 = 0.0, m2 = 0.0;
  // rows with a != 0 two at a time: their exps together (exp2x), then in row order
  let i = i0;
  for (;;) {
    i = nextWeighted(i, i1, n, scr);
    if (i >= i1) break;
    const i2 = nextWeighted(i + 1, i1, n, scr);
    const etaA = localPredictor(unchecked(aux[AUX_WIDTH * i]), Z, i, q, d, unchecked(scr[i]), work, cur);
    let cnt = 1;
    if (i2 < i1) {
      exp2x(etaA, localPredictor(unchecked(aux[AUX_WIDTH * i2]), Z, i2, q, d, unchecked(scr[i2]), work, cur));
      cnt = 2;
    } else {
      unchecked(PAIR[0] = expInline(etaA));
    }
    for (let t = 0; t < cnt; t++) {
      const row = t == 0 ? i : i2;
      const mu = unchecked(PAIR[t]);
      unchecked(scr[2 * n + row] = mu);
      if (fresh != 0) {
        const a = unchecked(scr[n + row]);
        const r = unchecked(y[row]) - mu;
        m1 += a * mu * mu;
        m2 += a * (r * r - mu);
      }
    }
    if (cnt < 2) break;
    i = i2 + 1;
  }
  if (fresh != 0) theta = m2 > 0.0 ? Math.min(THETA_MAX, Math.max(THETA_MIN, m1 / m2)) : 100.0;
  return thetaNewton(i0, i1, n, y, scr, theta, sumA, maxIter, work, dOff);
}

/**
 * Constant negative-binomial sizes θ_c (one per component for the whole u range):
 * Newton steps in log θ_c on the global expected complete-data log-likelihood
 * Σ_i w_i r_ic log f(y_i | η_ic, θ_c), with η_ic from the curves interpolated at each
 * row's u (as in estepInterp). Writes θ_c to every grid point's phi.
 */
export function mstepThetaGlobal(rows: Rows, grid: Grid, maxIter: i32, work: Float64Array): void {
  const n = rows.n, K = rows.K, q = rows.q;
  const y = rows.y, w = rows.w, Z = rows.Z, aux = rows.aux, R = rows.R, scr = rows.scratch;
  const m = grid.m, jl = grid.jl, jr = grid.jr, lam = grid.lam, alpha = grid.alpha, phi = grid.phi, status = grid.statusE;
  for (let c = 0; c < K; c++) {
    let sumA = 0.0;
    for (let i = 0; i < n; i++) {
      const a = unchecked(w[i]) * unchecked(R[i * K + c]);
      unchecked(scr[n + i] = a);
      sumA += a;
      if (a == 0.0) continue;
      const ja = unchecked(jl[i]), jb = unchecked(jr[i]);
      const lb = unchecked(lam[i]), la = 1.0 - lb;
      const ea = (ja * K + c) * q, eb = (jb * K + c) * q;
      let ma = 0.0, mb = 0.0;
      for (let k = 0; k < q; k++) {
        const zv = unchecked(Z[i * q + k]);
        ma += zv * unchecked(alpha[ea + k]);
        mb += zv * unchecked(alpha[eb + k]);
      }
      unchecked(scr[2 * n + i] = exp(unchecked(aux[AUX_WIDTH * i]) + la * ma + lb * mb));
    }
    if (!(sumA > 0.0)) continue;
    const theta = thetaNewton(0, n, n, y, scr, unchecked(phi[c]), sumA, maxIter, work, 0);
    const bound = atThetaBound(theta);
    for (let j = 0; j < m; j++) {
      unchecked(phi[j * K + c] = theta);
      if (bound) unchecked(status[j * K + c] |= STATUS_DISPERSION_BOUND);
    }
  }
}
