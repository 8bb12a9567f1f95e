/* The hottest kernel of a default Gaussian fit, assembly/estep.ts estepSmoothed (the
 * K = 2, q = p = 2 path of smoothedVisitsK2, Epanechnikov kernel, Gaussian experts),
 * written in C with the same arithmetic in the same order and the core's own exp and log
 * (assembly/mathx.ts), to measure how far the WebAssembly build is from native code.
 * Built and run by bench/native/run.mjs (cc -O3 -march=native -ffp-contract=off: no
 * fused multiply-adds, so that the results can be compared bit for bit).
 *
 * Input (binary, little-endian, written by run.mjs): int32 n, m; f64 h; f64 t[n], y[n],
 * Z[2n], X[2n], g[m]; int32 lo[m], hi[m]; f64 alpha[4m], alphaS[4m], phi[2m], gamma[4m],
 * gammaS[4m]. Output: the objective ℓ_S (%.17g), a checksum of the posteriors and the
 * minimum time per call over the repetitions.
 */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static inline double from_words(int32_t hi, int32_t lo) {
  uint64_t b = ((uint64_t)(uint32_t)hi << 32) | (uint32_t)lo;
  double x;
  memcpy(&x, &b, 8);
  return x;
}
static inline int32_t high_word(double x) { uint64_t b; memcpy(&b, &x, 8); return (int32_t)(b >> 32); }
static inline int32_t low_word(double x) { uint64_t b; memcpy(&b, &x, 8); return (int32_t)b; }
static inline double pow2(int32_t k) { return from_words((k + 1023) << 20, 0); }

static const double LN2_HI = 6.93147180369123816490e-01, LN2_LO = 1.90821492927058770002e-10;
static const double INV_LN2 = 1.44269504088896338700e+00, SQRT2 = 1.4142135623730951;

static double core_exp(double x) {
  if (x != x) return x;
  if (x > 709.782712893384) return INFINITY;
  if (x < -745.1332191019412) return 0.0;
  const double kf = floor(x * INV_LN2 + 0.5);
  const int32_t k = (int32_t)kf;
  const double r = (x - kf * LN2_HI) - kf * LN2_LO;
  const double r2 = r * r, r4 = r2 * r2, r8 = r4 * r4;
  const double a01 = 1.0 + r, a23 = 0.5 + r * 0.16666666666666666;
  const double a45 = 4.1666666666666664e-2 + r * 8.333333333333333e-3;
  const double a67 = 1.388888888888889e-3 + r * 1.984126984126984e-4;
  const double a89 = 2.48015873015873e-5 + r * 2.7557319223985893e-6;
  const double a1011 = 2.755731922398589e-7 + r * 2.505210838544172e-8;
  const double a1213 = 2.08767569878681e-9 + r * 1.6059043836821613e-10;
  const double b03 = a01 + r2 * a23, b47 = a45 + r2 * a67, b811 = a89 + r2 * a1011, b1213 = a1213;
  const double c07 = b03 + r4 * b47, c813 = b811 + r4 * b1213;
  const double p = c07 + r8 * c813;
  if (k > 1023) return p * pow2(1023) * pow2(k - 1023);
  if (k < -1021) return p * pow2(k + 1000) * pow2(-1000);
  return p * pow2(k);
}

static double core_log(double x) {
  if (x != x || x < 0.0) return NAN;
  if (x == 0.0) return -INFINITY;
  if (x == INFINITY) return x;
  int32_t e = 0;
  int32_t hi = high_word(x);
  if (hi < 0x00100000) { x *= 18014398509481984.0; e = -54; hi = high_word(x); }
  e += (hi >> 20) - 1023;
  double m = from_words((hi & 0x000fffff) | 0x3ff00000, low_word(x));
  if (m > SQRT2) { m *= 0.5; e += 1; }
  const double f = m - 1.0, s = f / (2.0 + f), z = s * s;
  const double z2 = z * z, z4 = z2 * z2, z8 = z4 * z4;
  const double a01 = 1.0 / 3.0 + z * (1.0 / 5.0), a23 = 1.0 / 7.0 + z * (1.0 / 9.0);
  const double a45 = 1.0 / 11.0 + z * (1.0 / 13.0), a67 = 1.0 / 15.0 + z * (1.0 / 17.0);
  const double a89 = 1.0 / 19.0 + z * (1.0 / 21.0);
  const double b03 = a01 + z2 * a23, b47 = a45 + z2 * a67, b811 = a89 + z2 * (1.0 / 23.0);
  const double p = (b03 + z4 * b47) + z8 * b811;
  const double ef = (double)e;
  return ef * LN2_HI + (2.0 * s + (2.0 * s * z * p + ef * LN2_LO));
}

static inline double exp_shifted(double d) { return d == 0.0 ? 1.0 : core_exp(d); }

typedef struct {
  int32_t n, m;
  double h;
  double *t, *y, *Z, *X, *g, *alpha, *alphaS, *phi, *gamma, *gammaS, *R, *S;
  int32_t *lo, *hi;
} State;

static const double HALF_LOG_2PI = 0.9189385332046728;

static double estep_smoothed(const State *st) {
  const int32_t n = st->n, m = st->m;
  double *R = st->R, *S = st->S;
  for (int32_t k = 0; k < 2 * n; k++) R[k] = 0.0;
  for (int32_t i = 0; i < n; i++) S[i] = 0.0;
  for (int32_t j = 0; j < m; j++) {
    const double gj = st->g[j], h = st->h;
    const int32_t o0 = 4 * j, o1 = 4 * j + 2;
    const double g00 = st->gamma[o0], g01 = st->gamma[o0 + 1], gs00 = st->gammaS[o0], gs01 = st->gammaS[o0 + 1];
    const double g10 = st->gamma[o1], g11 = st->gamma[o1 + 1], gs10 = st->gammaS[o1], gs11 = st->gammaS[o1 + 1];
    const double a00 = st->alpha[o0], a01 = st->alpha[o0 + 1], as00 = st->alphaS[o0], as01 = st->alphaS[o0 + 1];
    const double a10 = st->alpha[o1], a11 = st->alpha[o1 + 1], as10 = st->alphaS[o1], as11 = st->alphaS[o1 + 1];
    const double ph0 = st->phi[2 * j], ph1 = st->phi[2 * j + 1];
    const double ln0 = -HALF_LOG_2PI - core_log(ph0), ln1 = -HALF_LOG_2PI - core_log(ph1);
    for (int32_t i = st->lo[j]; i < st->hi[j]; i++) {
      const double s = (st->t[i] - gj) / h;
      const double a = 1.0 - s * s;
      const double kw = a > 0.0 ? 0.75 * a : 0.0;
      if (kw == 0.0) continue;
      S[i] = S[i] + kw;
      const double x0 = st->X[2 * i], x1 = st->X[2 * i + 1];
      double l0 = 0.0; l0 += x0 * (g00 + gs00 * s); l0 += x1 * (g01 + gs01 * s);
      double l1 = 0.0; l1 += x0 * (g10 + gs10 * s); l1 += x1 * (g11 + gs11 * s);
      double mx = -INFINITY; mx = fmax(mx, l0); mx = fmax(mx, l1);
      double se = 0.0; se += exp_shifted(l0 - mx); se += exp_shifted(l1 - mx);
      const double lse = mx + core_log(se);
      const double yi = st->y[i], z0 = st->Z[2 * i], z1 = st->Z[2 * i + 1];
      double e0 = 0.0; e0 += z0 * (a00 + as00 * s); e0 += z1 * (a01 + as01 * s);
      double e1 = 0.0; e1 += z0 * (a10 + as10 * s); e1 += z1 * (a11 + as11 * s);
      const double r0 = (yi - e0) / ph0, r1 = (yi - e1) / ph1;
      const double lj0 = l0 - lse + (ln0 - 0.5 * r0 * r0);
      const double lj1 = l1 - lse + (ln1 - 0.5 * r1 * r1);
      R[2 * i] = R[2 * i] + kw * lj0;
      R[2 * i + 1] = R[2 * i + 1] + kw * lj1;
    }
  }
  double total = 0.0;
  for (int32_t i = 0; i < n; i++) {
    const double Si = S[i];
    if (!(Si > 0.0)) { R[2 * i] = R[2 * i + 1] = 0.5; S[i] = 0.0; continue; } /* not reached on the benchmark data */
    const double inv = 1.0 / Si;
    R[2 * i] = R[2 * i] * inv; R[2 * i + 1] = R[2 * i + 1] * inv;
    double mx = -INFINITY; mx = fmax(mx, R[2 * i]); mx = fmax(mx, R[2 * i + 1]);
    double sum = 0.0;
    const double q0 = exp_shifted(R[2 * i] - mx); R[2 * i] = q0; sum += q0;
    const double q1 = exp_shifted(R[2 * i + 1] - mx); R[2 * i + 1] = q1; sum += q1;
    R[2 * i] = R[2 * i] / sum; R[2 * i + 1] = R[2 * i + 1] / sum;
    const double lse = mx + core_log(sum);
    S[i] = Si * lse;
    total += 1.0 * Si * lse; /* w_i = 1 on the benchmark data */
  }
  return total;
}

static void *readn(FILE *f, size_t size, size_t count) {
  void *p = malloc(size * (count ? count : 1));
  if (fread(p, size, count, f) != count) { fprintf(stderr, "short input\n"); exit(1); }
  return p;
}

int main(int argc, char **argv) {
  if (argc < 2) { fprintf(stderr, "usage: %s state.bin [repetitions]\n", argv[0]); return 2; }
  const int reps = argc > 2 ? atoi(argv[2]) : 200;
  FILE *f = fopen(argv[1], "rb");
  if (!f) { perror(argv[1]); return 1; }
  State st;
  int32_t nm[2];
  if (fread(nm, 4, 2, f) != 2 || fread(&st.h, 8, 1, f) != 1) { fprintf(stderr, "short input\n"); return 1; }
  st.n = nm[0]; st.m = nm[1];
  const size_t n = (size_t)st.n, m = (size_t)st.m;
  st.t = readn(f, 8, n); st.y = readn(f, 8, n); st.Z = readn(f, 8, 2 * n); st.X = readn(f, 8, 2 * n); st.g = readn(f, 8, m);
  st.lo = readn(f, 4, m); st.hi = readn(f, 4, m);
  st.alpha = readn(f, 8, 4 * m); st.alphaS = readn(f, 8, 4 * m); st.phi = readn(f, 8, 2 * m);
  st.gamma = readn(f, 8, 4 * m); st.gammaS = readn(f, 8, 4 * m);
  fclose(f);
  st.R = malloc(16 * n); st.S = malloc(8 * n);
  double obj = 0.0, best = INFINITY;
  for (int r = 0; r < reps; r++) {
    struct timespec a, b;
    clock_gettime(CLOCK_MONOTONIC, &a);
    obj = estep_smoothed(&st);
    clock_gettime(CLOCK_MONOTONIC, &b);
    const double us = (b.tv_sec - a.tv_sec) * 1e6 + (b.tv_nsec - a.tv_nsec) / 1e3;
    if (us < best) best = us;
  }
  double sum = 0.0;
  for (size_t i = 0; i < 2 * n; i++) sum += st.R[i] * (double)(i % 7 + 1);
  printf("{\"objective\": %.17g, \"checksum\": %.17g, \"minMicroseconds\": %.3f}\n", obj, sum, best);
  return 0;
}
