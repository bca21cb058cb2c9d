package io.pricepath.simulate;

import java.util.SplittableRandom;

/**
 * Random variates drawn from a {@link SplittableRandom}, so that streams stay reproducible (the
 * simulator's; tests draw their counts from {@link #poisson} too).
 */
public final class Sampling {
  private Sampling() {}

  private static final long GOLDEN = 0x9E3779B97F4A7C15L;

  /** A well-mixed 64-bit value from a seed and a list of keys (SplitMix64 finaliser chain). */
  static long mix(long seed, long... keys) {
    long h = mix64(seed ^ 0x5DEECE66DL);
    for (long key : keys) {
      h = mix64(h + GOLDEN + mix64(key + GOLDEN));
    }
    return h;
  }

  private static long mix64(long z) {
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }

  /** Uniform in [lo, hi). */
  static double uniform(SplittableRandom rng, double lo, double hi) {
    return lo + (hi - lo) * rng.nextDouble();
  }

  /** Standard normal (Marsaglia polar method). */
  static double normal(SplittableRandom rng) {
    while (true) {
      double u = 2 * rng.nextDouble() - 1;
      double v = 2 * rng.nextDouble() - 1;
      double s = u * u + v * v;
      if (s > 0 && s < 1) {
        return u * Math.sqrt(-2 * Math.log(s) / s);
      }
    }
  }

  /** Log-normal factor with median {@code median} and log-scale {@code sigma}. */
  static double logNormal(SplittableRandom rng, double median, double sigma) {
    return median * Math.exp(sigma * normal(rng));
  }

  /** Log-normal factor with mean 1 and log-scale {@code sigma}. */
  static double meanOneNoise(SplittableRandom rng, double sigma) {
    return Math.exp(sigma * normal(rng) - 0.5 * sigma * sigma);
  }

  /** Gamma(shape, scale 1) (Marsaglia and Tsang). */
  static double gamma(SplittableRandom rng, double shape) {
    if (shape < 1) {
      double u = rng.nextDouble();
      return gamma(rng, shape + 1) * Math.pow(u, 1 / shape);
    }
    double d = shape - 1.0 / 3;
    double c = 1 / Math.sqrt(9 * d);
    while (true) {
      double x = normal(rng);
      double v = 1 + c * x;
      if (v <= 0) {
        continue;
      }
      v = v * v * v;
      double u = rng.nextDouble();
      if (u < 1 - 0.0331 * x * x * x * x || Math.log(u) < 0.5 * x * x + d * (1 - v + Math.log(v))) {
        return d * v;
      }
    }
  }

  /**
   * Negative-binomial count with the given mean: Poisson with a gamma-distributed rate of shape
   * {@code dispersion} (variance = mean + mean² / dispersion).
   */
  static long negativeBinomial(SplittableRandom rng, double mean, double dispersion) {
    if (mean <= 0) {
      return 0;
    }
    return poisson(rng, mean * gamma(rng, dispersion) / dispersion);
  }

  /** Poisson count (multiplication method below 30, Hörmann's PTRS above). */
  public static long poisson(SplittableRandom rng, double mean) {
    if (mean <= 0) {
      return 0;
    }
    if (mean < 30) {
      double limit = Math.exp(-mean);
      double p = rng.nextDouble();
      long k = 0;
      while (p > limit) {
        k++;
        p *= rng.nextDouble();
      }
      return k;
    }
    double slam = Math.sqrt(mean);
    double loglam = Math.log(mean);
    double b = 0.931 + 2.53 * slam;
    double a = -0.059 + 0.02483 * b;
    double invalpha = 1.1239 + 1.1328 / (b - 3.4);
    double vr = 0.9277 - 3.6224 / (b - 2);
    while (true) {
      double u = rng.nextDouble() - 0.5;
      double v = rng.nextDouble();
      double us = 0.5 - Math.abs(u);
      long k = (long) Math.floor((2 * a / us + b) * u + mean + 0.43);
      if (us >= 0.07 && v <= vr) {
        return k;
      }
      if (k < 0 || (us < 0.013 && v > us)) {
        continue;
      }
      if (Math.log(v) + Math.log(invalpha) - Math.log(a / (us * us) + b)
          <= -mean + k * loglam - logFactorial(k)) {
        return k;
      }
    }
  }

  /** Binomial count (geometric waiting times, O(n·min(p, 1−p)) draws). */
  static long binomial(SplittableRandom rng, long n, double p) {
    if (n <= 0 || p <= 0) {
      return 0;
    }
    if (p >= 1) {
      return n;
    }
    if (p > 0.5) {
      return n - binomial(rng, n, 1 - p);
    }
    double logQ = Math.log1p(-p);
    long successes = 0;
    long position = 0;
    while (true) {
      double u = 1 - rng.nextDouble(); // (0, 1]
      position += (long) Math.floor(Math.log(u) / logQ) + 1;
      if (position > n) {
        return successes;
      }
      successes++;
    }
  }

  /** Splits {@code n} units over categories with probabilities {@code p} (summing to 1). */
  static long[] multinomial(SplittableRandom rng, long n, double[] p) {
    long[] out = new long[p.length];
    long left = n;
    double mass = 1;
    for (int i = 0; i < p.length - 1 && left > 0; i++) {
      double share = mass <= 0 ? 1 : Math.min(1, p[i] / mass);
      out[i] = binomial(rng, left, share);
      left -= out[i];
      mass -= p[i];
    }
    out[p.length - 1] += left;
    return out;
  }

  private static double logFactorial(long k) {
    if (k < 2) {
      return 0;
    }
    double x = k + 1.0;
    // Stirling series for log Γ(x), accurate to ~1e-10 for x ≥ 2.
    double inv = 1 / x;
    double inv2 = inv * inv;
    return (x - 0.5) * Math.log(x) - x + 0.5 * Math.log(2 * Math.PI)
        + inv * (1.0 / 12 - inv2 * (1.0 / 360 - inv2 * (1.0 / 1260 - inv2 / 1680)));
  }
}
