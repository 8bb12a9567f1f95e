// A small seeded generator (mulberry32) for test data and test-side simulations
// that must not share the library's own generator.
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Standard normal draws by Box–Muller from a uniform generator. */
export function normalGenerator(r: () => number): () => number {
  let spare = NaN;
  return () => {
    if (!Number.isNaN(spare)) { const v = spare; spare = NaN; return v; }
    const rad = Math.sqrt(-2 * Math.log(1 - r())), th = 2 * Math.PI * r();
    spare = rad * Math.sin(th);
    return rad * Math.cos(th);
  };
}
