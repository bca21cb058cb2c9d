package io.pricepath.forecast.neural;

import io.pricepath.features.SequenceBlock;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/**
 * The network's inputs for a set of feature rows, as plain arrays (no engine): the rows that
 * share a sequence block and base level share one encoder pass (a group: the weeks and ladder
 * levels of one series at one origin), so a series is encoded once however many weeks and
 * discounts are asked of it; and consecutive rows that differ at most in the discount (a week's
 * ladder levels) share one pass of the heads, the discount entering only through the ramp.
 */
final class Inputs {
  final int rows;
  final int groups;
  /** Distinct heads: rows that differ at most in the discount share one. */
  final int heads;
  /**
   * {@code groups × weeks × channels}, the units and stock channels relative to the base level
   * (stock as weeks of cover, in logs).
   */
  final float[] sequence;
  /** {@code heads × staticWidth}. */
  final float[] statics;
  /** {@code codes[c][head]}: the head's index into embedding table {@code c}. */
  final long[][] codes;
  /** The head's group. */
  final long[] headGroup;
  /** The row's head. */
  final long[] head;
  /** {@code rows × segments}: how far the row's discount reaches into each segment. */
  final float[] ramp;
  /** {@code log(1 + base level)}, 0 where unknown: the scale the output is relative to. */
  final float[] offset;
  /**
   * {@code logit} of the article's own return ratio, 0 where unknown: the prior the return-rate
   * output departs from (null without that output).
   */
  final float[] returnOffset;

  private Inputs(int rows, int groups, int heads, float[] sequence, float[] statics,
      long[][] codes, long[] headGroup, long[] head, float[] ramp, float[] offset,
      float[] returnOffset) {
    this.rows = rows;
    this.groups = groups;
    this.heads = heads;
    this.sequence = sequence;
    this.statics = statics;
    this.codes = codes;
    this.headGroup = headGroup;
    this.head = head;
    this.ramp = ramp;
    this.offset = offset;
    this.returnOffset = returnOffset;
  }

  /** The row's group (its series' encoder pass). */
  long group(int row) {
    return headGroup[(int) head[row]];
  }

  /** Whether rows {@code a} and {@code b} give the head the same inputs. */
  private static boolean sameHead(float[] x, int a, int b, int width, int[] cols, int[] codeCols) {
    int pa = a * width;
    int pb = b * width;
    for (int c : cols) {
      if (Float.floatToIntBits(x[pa + c]) != Float.floatToIntBits(x[pb + c])) {
        return false;
      }
    }
    for (int c : codeCols) {
      if (Float.floatToIntBits(x[pa + c]) != Float.floatToIntBits(x[pb + c])) {
        return false;
      }
    }
    return true;
  }

  /**
   * The series (encoder pass) of each row of {@code rowIndex}: rows with the same sequence block
   * and base level share one, numbered in order of first appearance.
   *
   * @param firstRow receives each group's first row (of {@code x}); as long as {@code rowIndex}
   * @return the group of each row; {@code groups[n]}, one past the rows, holds their count
   */
  static long[] groups(NetworkShape s, float[] x, int[] rowIndex, int[] firstRow) {
    int n = rowIndex.length;
    int width = s.width();
    int seqWidth = s.weeks() * s.channels();
    int seqFrom = s.sequenceIndex();
    Map<Key, Integer> byKey = new HashMap<>();
    long[] group = new long[n + 1];
    for (int r = 0; r < n; r++) {
      int at = rowIndex[r] * width;
      float offset = logBase(x[at + s.baseLevelColumn()]);
      if (r > 0) {
        // the grid's rows of one series come one after the other: compare with the row before
        // before hashing the block
        int prev = rowIndex[r - 1] * width;
        if (Float.compare(offset, logBase(x[prev + s.baseLevelColumn()])) == 0
            && Arrays.equals(x, at + seqFrom, at + seqFrom + seqWidth,
                x, prev + seqFrom, prev + seqFrom + seqWidth)) {
          group[r] = group[r - 1];
          continue;
        }
      }
      Key k = new Key(x, at + seqFrom, seqWidth, offset);
      Integer g = byKey.get(k);
      if (g == null) {
        g = byKey.size();
        byKey.put(k, g);
        firstRow[g] = rowIndex[r];
      }
      group[r] = g;
    }
    group[n] = byKey.size();
    return group;
  }

  /** Inputs of rows {@code rowIndex} of the row-major feature array {@code x}. */
  static Inputs of(NetworkShape s, float[] x, int[] rowIndex) {
    int n = rowIndex.length;
    int width = s.width();
    int seqWidth = s.weeks() * s.channels();
    int[] firstRow = new int[n];
    long[] group = groups(s, x, rowIndex, firstRow);
    float[] offset = new float[n];
    for (int r = 0; r < n; r++) {
      offset[r] = logBase(x[rowIndex[r] * width + s.baseLevelColumn()]);
    }
    int groups = (int) group[n];
    float[] sequence = new float[groups * seqWidth];
    for (int g = 0; g < groups; g++) {
      int at = firstRow[g] * width + s.sequenceIndex();
      System.arraycopy(x, at, sequence, g * seqWidth, seqWidth);
      float base = logBase(x[firstRow[g] * width + s.baseLevelColumn()]);
      for (int t = 0; t < s.weeks(); t++) {
        int w = g * seqWidth + t * s.channels();
        if (sequence[w + SequenceBlock.KNOWN] > 0) {
          sequence[w + SequenceBlock.UNITS] -= base;
        }
        if (sequence[w + SequenceBlock.STOCK_KNOWN] > 0) {
          sequence[w + SequenceBlock.STOCK] -= base;
        }
      }
    }
    // the head's inputs: the same for the ladder levels of one week (they differ only in the
    // discount, which enters through the ramp), so each run of equal rows is one head
    int sw = s.staticWidth();
    int[] cols = s.staticColumns();
    int[] codeCols = s.codeColumns();
    long[] head = new long[n];
    int[] headRow = new int[n];
    int heads = 0;
    for (int r = 0; r < n; r++) {
      if (r > 0 && group[r] == group[r - 1] && sameHead(x, rowIndex[r], rowIndex[r - 1], width, cols, codeCols)) {
        head[r] = head[r - 1];
      } else {
        headRow[heads] = rowIndex[r];
        head[r] = heads++;
      }
    }
    float[] statics = new float[heads * sw];
    long[][] codes = new long[codeCols.length][heads];
    long[] headGroup = new long[heads];
    for (int r = 0; r < n; r++) {
      headGroup[(int) head[r]] = group[r];
    }
    for (int h = 0; h < heads; h++) {
      int at = headRow[h] * width;
      for (int j = 0; j < cols.length; j++) {
        float v = x[at + cols[j]];
        boolean missing = Float.isNaN(v) || Float.isInfinite(v);
        statics[h * sw + 2 * j] = missing ? 0f : (float) (Math.signum(v) * StrictMath.log1p(Math.abs(v)));
        statics[h * sw + 2 * j + 1] = missing ? 1f : 0f;
      }
      for (int c = 0; c < codes.length; c++) {
        float v = x[at + codeCols[c]];
        int vocab = s.vocabularies()[c];
        codes[c][h] = Float.isNaN(v) || v < 0 || v >= vocab ? vocab : (long) v;
      }
    }
    float[] ramp = new float[n * s.segments()];
    double[] knots = s.knots();
    for (int r = 0; r < n; r++) {
      ramp(x[rowIndex[r] * width + s.discountColumn()], knots, ramp, r * knots.length);
    }
    float[] returnOffset = null;
    if (s.returnHead()) {
      returnOffset = new float[n];
      for (int r = 0; r < n; r++) {
        returnOffset[r] = s.returnRatioColumn() < 0 ? 0f
            : logit(x[rowIndex[r] * width + s.returnRatioColumn()]);
      }
    }
    return new Inputs(
        n, groups, heads, sequence, statics, codes, headGroup, head, ramp, offset, returnOffset);
  }

  /** {@code logit} of a rate kept within [0.005, 0.995]; 0 (even odds) where unknown. */
  static float logit(float rate) {
    if (Float.isNaN(rate) || Float.isInfinite(rate)) {
      return 0f;
    }
    double p = Math.max(0.005, Math.min(0.995, rate));
    return (float) StrictMath.log(p / (1 - p));
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
