package io.pricepath.forecast.neural;

import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/**
 * The network's inputs for a set of feature rows, as plain arrays (no engine): the rows that
 * share a sequence block and base level share one encoder pass (a group: the weeks and ladder
 * levels of one series at one origin), so a series is encoded once however many weeks and
 * discounts are asked of it.
 */
final class Inputs {
  final int rows;
  final int groups;
  /** {@code groups × weeks × channels}, the units channel relative to the base level. */
  final float[] sequence;
  /** {@code rows × staticWidth}. */
  final float[] statics;
  /** {@code codes[c][row]}: the row's index into embedding table {@code c}. */
  final long[][] codes;
  /** The row's group. */
  final long[] group;
  /** {@code rows × segments}: how far the row's discount reaches into each segment. */
  final float[] ramp;
  /** {@code log(1 + base level)}, 0 where unknown: the scale the output is relative to. */
  final float[] offset;

  private Inputs(NetworkShape s, int rows, int groups, float[] sequence, float[] statics,
      long[][] codes, long[] group, float[] ramp, float[] offset) {
    this.rows = rows;
    this.groups = groups;
    this.sequence = sequence;
    this.statics = statics;
    this.codes = codes;
    this.group = group;
    this.ramp = ramp;
    this.offset = offset;
  }

  /** Inputs of rows {@code rowIndex} of the row-major feature array {@code x}. */
  static Inputs of(NetworkShape s, float[] x, int[] rowIndex) {
    int n = rowIndex.length;
    int width = s.width();
    int seqWidth = s.weeks() * s.channels();
    Map<Key, Integer> byKey = new HashMap<>();
    long[] group = new long[n];
    int[] firstRow = new int[n];
    float[] offset = new float[n];
    int seqFrom = s.sequenceIndex();
    for (int r = 0; r < n; r++) {
      int at = rowIndex[r] * width;
      offset[r] = logBase(x[at + s.baseLevelColumn()]);
      if (r > 0) {
        // the grid's rows of one series come one after the other: compare with the row before
        // before hashing the block
        int prev = rowIndex[r - 1] * width;
        if (Float.compare(offset[r], offset[r - 1]) == 0
            && Arrays.equals(x, at + seqFrom, at + seqFrom + seqWidth,
                x, prev + seqFrom, prev + seqFrom + seqWidth)) {
          group[r] = group[r - 1];
          continue;
        }
      }
      Key k = new Key(x, at + seqFrom, seqWidth, offset[r]);
      Integer g = byKey.get(k);
      if (g == null) {
        g = byKey.size();
        byKey.put(k, g);
        firstRow[g] = rowIndex[r];
      }
      group[r] = g;
    }
    int groups = byKey.size();
    float[] sequence = new float[groups * seqWidth];
    for (int g = 0; g < groups; g++) {
      int at = firstRow[g] * width + s.sequenceIndex();
      System.arraycopy(x, at, sequence, g * seqWidth, seqWidth);
      float base = logBase(x[firstRow[g] * width + s.baseLevelColumn()]);
      for (int t = 0; t < s.weeks(); t++) {
        int w = g * seqWidth + t * s.channels();
        if (sequence[w + io.pricepath.features.SequenceBlock.KNOWN] > 0) {
          sequence[w + io.pricepath.features.SequenceBlock.UNITS] -= base;
        }
      }
    }
    int sw = s.staticWidth();
    float[] statics = new float[n * sw];
    long[][] codes = new long[s.codeColumns().length][n];
    float[] ramp = new float[n * s.segments()];
    double[] knots = s.knots();
    for (int r = 0; r < n; r++) {
      int at = rowIndex[r] * width;
      int[] cols = s.staticColumns();
      for (int j = 0; j < cols.length; j++) {
        float v = x[at + cols[j]];
        boolean missing = Float.isNaN(v) || Float.isInfinite(v);
        statics[r * sw + 2 * j] = missing ? 0f : (float) (Math.signum(v) * StrictMath.log1p(Math.abs(v)));
        statics[r * sw + 2 * j + 1] = missing ? 1f : 0f;
      }
      for (int c = 0; c < codes.length; c++) {
        float v = x[at + s.codeColumns()[c]];
        int vocab = s.vocabularies()[c];
        codes[c][r] = Float.isNaN(v) || v < 0 || v >= vocab ? vocab : (long) v;
      }
      ramp(x[at + s.discountColumn()], knots, ramp, r * knots.length);
    }
    return new Inputs(s, n, groups, sequence, statics, codes, group, ramp, offset);
  }

  /**
   * How far {@code discount} reaches into each segment of the piecewise-linear response: {@code
   * clamp(d − k_j, 0, k_{j+1} − k_j)}, the last segment open. Non-decreasing in the discount.
   */
  static void ramp(float discount, double[] knots, float[] out, int offset) {
    double d = Float.isNaN(discount) ? 0 : Math.max(0, Math.min(1, discount));
    for (int j = 0; j < knots.length; j++) {
      double hi = j + 1 < knots.length ? knots[j + 1] : 1.0;
      out[offset + j] = (float) Math.max(0, Math.min(d, hi) - knots[j]);
    }
  }

  static float logBase(float base) {
    return Float.isNaN(base) || !(base > 0) ? 0f : (float) StrictMath.log1p(base);
  }

  /** A slice of a feature row (its sequence block) and its base level, compared by value. */
  private static final class Key {
    private final float[] x;
    private final int from;
    private final int length;
    private final float base;
    private final int hash;

    Key(float[] x, int from, int length, float base) {
      this.x = x;
      this.from = from;
      this.length = length;
      this.base = base;
      int h = Float.hashCode(base);
      for (int i = from; i < from + length; i++) {
        h = 31 * h + Float.floatToIntBits(x[i]);
      }
      this.hash = h;
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Key k
          && k.hash == hash
          && Float.compare(k.base, base) == 0
          && Arrays.equals(x, from, from + length, k.x, k.from, k.from + k.length);
    }

    @Override
    public int hashCode() {
      return hash;
    }
  }
}
