// SQUAREM acceleration of EM-type fixed-point iterations (Varadhan & Roland 2008,
// Scand. J. Stat., scheme S3): two EM maps give r = θ1 − θ0 and v = θ2 − 2θ1 + θ0;
// the extrapolated point θ0 − 2αr + α²v with α = −‖r‖/‖v‖ (capped at −1, which
// reproduces θ2) is stabilised by one more EM map. If the objective at the
// extrapolated point falls below the one at θ1, the cycle falls back to the plain
// EM iterate θ2, so acceleration never costs more than the plain path plus one map.

export interface FixedPointMap {
  get(): Float64Array;
  set(theta: Float64Array): void;
  /** Applies one EM map in place; returns the objective at the parameters it started from. */
  step(): number;
  /** Whether a parameter vector is admissible (e.g. every sigma above its floor). */
  valid(theta: Float64Array): boolean;
}

export interface SquaremCycle {
  /** Objective at θ0, θ1 and at the point the next cycle starts from (before its map). */
  objectives: number[];
  maps: number;
  extrapolated: boolean;
}

/** One SQUAREM cycle; leaves the map's state at the next starting point. */
export function squaremCycle(F: FixedPointMap, relSlack: number): SquaremCycle {
  const t0 = F.get();
  const l0 = F.step();
  const t1 = F.get();
  const l1 = F.step();
  const t2 = F.get();
  let rr = 0, vv = 0;
  for (let k = 0; k < t0.length; k++) {
    const r = t1[k] - t0[k], v = t2[k] - 2 * t1[k] + t0[k];
    rr += r * r; vv += v * v;
  }
  if (!(vv > 0) || !(rr > 0)) return { objectives: [l0, l1], maps: 2, extrapolated: false };
  const alpha = Math.min(-1, -Math.sqrt(rr / vv));
  const tx = new Float64Array(t0.length);
  for (let k = 0; k < t0.length; k++) {
    const r = t1[k] - t0[k], v = t2[k] - 2 * t1[k] + t0[k];
    tx[k] = t0[k] - 2 * alpha * r + alpha * alpha * v;
  }
  if (alpha === -1 || !F.valid(tx)) return { objectives: [l0, l1], maps: 2, extrapolated: false };
  F.set(tx);
  const lx = F.step();
  if (!(lx >= l1 - relSlack * (1 + Math.abs(l1)))) {
    F.set(t2);
    return { objectives: [l0, l1], maps: 3, extrapolated: false };
  }
  return { objectives: [l0, l1, lx], maps: 3, extrapolated: true };
}
