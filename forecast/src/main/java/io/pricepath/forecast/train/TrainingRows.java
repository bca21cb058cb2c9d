package io.pricepath.forecast.train;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.datediff;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.pmod;
import static org.apache.spark.sql.functions.xxhash64;

import io.pricepath.contract.Columns;
import io.pricepath.features.FeatureBuilder;
import io.pricepath.forecast.model.FitPoints;
import io.pricepath.forecast.model.MarginTerms;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.HashSet;
import java.util.Iterator;
import java.util.Set;
import java.util.function.IntPredicate;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.DataTypes;

/**
 * The training rows of one target on the driver, as plain arrays: every row when they are few
 * enough, else a deterministic sample (then only the margin terms are fitted on them; the
 * booster trains on Spark). Row {@code i}'s features are {@code x[i·width .. (i+1)·width)}.
 */
final class TrainingRows {
  /** Label and weight columns of a target's training rows. */
  static final String LABEL = "_label";

  static final String WEIGHT = "_weight";

  final int width;
  final int[] origin;
  final int[] week;
  final long[] target;
  final float[] x;
  final double[] y;
  final double[] w;
  final double[] level4;

  private TrainingRows(
      int width, int[] origin, int[] week, long[] target, float[] x, double[] y, double[] w,
      double[] level4) {
    this.width = width;
    this.origin = origin;
    this.week = week;
    this.target = target;
    this.x = x;
    this.y = y;
    this.w = w;
    this.level4 = level4;
  }

  /** Arrays of rows given directly (tests, benchmarks): one origin, week {@code i} for row i. */
  static TrainingRows of(float[] x, int width, double[] y, double[] w) {
    int n = y.length;
    int[] week = new int[n];
    long[] target = new long[n];
    for (int i = 0; i < n; i++) {
      week[i] = i;
      target[i] = i;
    }
    double[] level = new double[n];
    Arrays.fill(level, Double.NaN);
    return new TrainingRows(width, new int[n], week, target, x, y, w, level);
  }

  int size() {
    return y.length;
  }

  /**
   * Collects {@code rows} (columns {@code features, _label, _weight}, and for weekly rows the
   * keys, origin, week and {@code units_4}) to the driver; when there are more than {@code
   * limit}, a deterministic sample of about {@code limit} of them (by a hash of the keys).
   */
  static TrainingRows collect(Dataset<Row> rows, int width, boolean weekly, long count, long limit) {
    Dataset<Row> kept = rows;
    if (count > limit) {
      long keep = Math.max(1, Math.round(1_000_000.0 * limit / count));
      kept = rows.filter(pmod(xxhash64(keys(weekly)), lit(1_000_000L)).lt(keep));
    }
    return gather(selected(kept, weekly), width, Long.MAX_VALUE).build().sorted();
  }

  /**
   * Every row of {@code rows} on the driver with their {@link Stats} — one Spark pass instead of
   * a count and a collection — or null when there are more than {@code most}.
   */
  static Collected collectAll(Dataset<Row> rows, int width, boolean weekly, long most) {
    Builder all = gather(selected(rows, weekly), width, most);
    if (all == null) {
      return null;
    }
    TrainingRows collected = all.build().sorted();
    double[] sums = collected.sums();
    return new Collected(collected, Stats.of(collected.size(), sums[0], sums[1], all.hash));
  }

  /** Rows collected with their stats. */
  record Collected(TrainingRows rows, Stats stats) {}

  /**
   * The rows of {@code selected} (the columns of {@link #selected}) packed into arrays where they
   * are, every partition at once, and brought to the driver; null when there are more than {@code
   * most}. A partition packs at most its share of {@code most} at first; the partitions over their
   * share are packed by a second job where the count allows, so the driver never holds more than
   * {@code most} rows. (Bringing rows one partition at a time, as Spark's local iterator does, left
   * a core idle and turned every value into an object on the driver.)
   */
  private static Builder gather(Dataset<Row> selected, int width, long most) {
    JavaRDD<Row> rdd = selected.javaRDD();
    long share = Math.max(1, most / Math.max(1, rdd.getNumPartitions()));
    List<Builder> chunks =
        rdd.mapPartitionsWithIndex(
                (p, it) -> List.of(Builder.pack(it, width, share, most)).iterator(), false)
            .collect();
    long total = 0;
    Set<Integer> over = new HashSet<>();
    for (int p = 0; p < chunks.size(); p++) {
      total += chunks.get(p).count;
      if (chunks.get(p).count > chunks.get(p).n) {
        over.add(p);
      }
    }
    if (total > most) {
      return null;
    }
    List<Builder> parts = new ArrayList<>(chunks);
    if (!over.isEmpty()) {
      parts.removeIf(c -> c.count > c.n);
      parts.addAll(
          rdd.mapPartitionsWithIndex(
                  (p, it) -> over.contains(p)
                      ? List.of(Builder.pack(it, width, most, most)).iterator()
                      : java.util.Collections.<Builder>emptyIterator(),
                  false)
              .collect());
    }
    Builder all = new Builder(width, Math.max(16, parts.stream().mapToInt(c -> c.n).sum()));
    for (Builder part : parts) {
      all.addAll(part);
    }
    return all;
  }

  /** The columns the driver reads, in this order, {@link Stats#rowHash} last. */
  private static Dataset<Row> selected(Dataset<Row> kept, boolean weekly) {
    Column epoch = lit(java.sql.Date.valueOf("1970-01-01"));
    List<Column> columns = new ArrayList<>(List.of(
            weekly ? datediff(col(FeatureBuilder.ORIGIN), epoch) : lit(0),
            weekly ? datediff(col(Columns.WEEK), epoch) : lit(0),
            xxhash64(targetKeys(weekly)),
            col(LABEL).cast(DataTypes.DoubleType),
            col(WEIGHT).cast(DataTypes.DoubleType),
            weekly
                ? col(FeatureBuilder.UNITS_4).cast(DataTypes.DoubleType)
                : lit(null).cast(DataTypes.DoubleType),
            col(FeatureBuilder.FEATURES),
            Stats.rowHash(weekly)));
    return kept.select(columns.toArray(new Column[0]));
  }

  /**
   * These rows in the order of their keys (target, origin, week, label), whatever order Spark
   * delivered them in: the same rows train the same booster.
   */
  TrainingRows sorted() {
    Integer[] order = new Integer[size()];
    for (int i = 0; i < order.length; i++) {
      order[i] = i;
    }
    Arrays.sort(order, (a, b) -> {
      int c = Long.compare(target[a], target[b]);
      c = c != 0 ? c : Integer.compare(origin[a], origin[b]);
      c = c != 0 ? c : Integer.compare(week[a], week[b]);
      return c != 0 ? c : Double.compare(y[a], y[b]);
    });
    Builder b = new Builder(width, Math.max(16, size()));
    for (int i : order) {
      b.add(origin[i], week[i], target[i], y[i], w[i], level4[i],
          Arrays.copyOfRange(x, i * width, (i + 1) * width));
    }
    return b.build();
  }

  private static Column[] keys(boolean weekly) {
    return weekly
        ? new Column[] {col(Columns.ARTICLE_ID), col(Columns.MARKET),
            col(FeatureBuilder.ORIGIN).cast(DataTypes.StringType),
            col(Columns.WEEK).cast(DataTypes.StringType)}
        : new Column[] {col(Columns.ARTICLE_ID), col(Columns.MARKET)};
  }

  private static Column[] targetKeys(boolean weekly) {
    return weekly
        ? new Column[] {col(Columns.ARTICLE_ID), col(Columns.MARKET),
            col(Columns.WEEK).cast(DataTypes.StringType)}
        : new Column[] {col(Columns.ARTICLE_ID), col(Columns.MARKET)};
  }

  static float[] featureArray(Object value) {
    if (value instanceof float[] f) {
      return f;
    }
    scala.collection.Seq<?> seq = (scala.collection.Seq<?>) value;
    float[] f = new float[seq.size()];
    for (int i = 0; i < f.length; i++) {
      f[i] = ((Number) seq.apply(i)).floatValue();
    }
    return f;
  }

  /** The rows where {@code keep} holds, in order. */
  TrainingRows where(IntPredicate keep) {
    Builder b = new Builder(width, 1024);
    for (int i = 0; i < size(); i++) {
      if (keep.test(i)) {
        float[] f = Arrays.copyOfRange(x, i * width, (i + 1) * width);
        b.add(origin[i], week[i], target[i], y[i], w[i], level4[i], f);
      }
    }
    return b.build();
  }

  /** {@link #overlap}, once computed ({@code NaN} before). */
  private double overlap = Double.NaN;

  /** Rows per distinct target week (at least 1); counted once, every term fit asks for it. */
  double overlap() {
    if (!Double.isNaN(overlap)) {
      return overlap;
    }
    Set<Long> distinct = new HashSet<>();
    for (long t : target) {
      distinct.add(t);
    }
    overlap = Math.max(1, size() / (double) Math.max(1, distinct.size()));
    return overlap;
  }

  /** These rows as the points margin terms are fitted on. */
  FitPoints points() {
    return new FitPoints(x, width, y, w, overlap());
  }

  /** The margin of {@code terms} for every row. */
  double[] margins(MarginTerms terms) {
    double[] m = new double[size()];
    for (int i = 0; i < m.length; i++) {
      m[i] = terms.margin(x, i * width);
    }
    return m;
  }

  /** The features with the columns {@code hidden} set to {@code NaN} (a copy). */
  float[] hiding(int[] hidden) {
    if (hidden.length == 0) {
      return x;
    }
    float[] copy = x.clone();
    for (int i = 0; i < size(); i++) {
      for (int c : hidden) {
        copy[i * width + c] = Float.NaN;
      }
    }
    return copy;
  }

  /** Sum of weights and of weighted labels. */
  double[] sums() {
    double weight = 0;
    double label = 0;
    for (int i = 0; i < size(); i++) {
      weight += w[i];
      label += w[i] * y[i];
    }
    return new double[] {weight, label};
  }

  /**
   * Grows the arrays as rows arrive; also what a partition sends to the driver: its rows, how many
   * it has ({@code count}, more than {@code n} where it packed only its share) and the sum of
   * their {@link Stats#rowHash}.
   */
  private static final class Builder implements java.io.Serializable {
    private static final long serialVersionUID = 1L;
    private final int width;
    private int n;
    private long count;
    private long hash;
    private int[] origin;
    private int[] week;
    private long[] target;
    private float[] x;
    private double[] y;
    private double[] w;
    private double[] level4;

    Builder(int width, int capacity) {
      this.width = width;
      origin = new int[capacity];
      week = new int[capacity];
      target = new long[capacity];
      x = new float[capacity * width];
      y = new double[capacity];
      w = new double[capacity];
      level4 = new double[capacity];
    }

    void add(int o, int wk, long t, double label, double weight, double l4, float[] f) {
      if (f.length != width) {
        throw new IllegalStateException(
            "Cannot collect training rows: a feature vector has %d values, the layout %d"
                .formatted(f.length, width));
      }
      if (n == y.length) {
        int c = Math.max(16, n * 2);
        origin = Arrays.copyOf(origin, c);
        week = Arrays.copyOf(week, c);
        target = Arrays.copyOf(target, c);
        x = Arrays.copyOf(x, c * width);
        y = Arrays.copyOf(y, c);
        w = Arrays.copyOf(w, c);
        level4 = Arrays.copyOf(level4, c);
      }
      origin[n] = o;
      week[n] = wk;
      target[n] = t;
      System.arraycopy(f, 0, x, n * width, width);
      y[n] = label;
      w[n] = weight;
      level4[n] = l4;
      n++;
    }

    /**
     * The rows of {@code it} (the columns of {@link #selected}): packed while there are at most
     * {@code share}, else only counted, up to {@code most} + 1.
     */
    static Builder pack(Iterator<Row> it, int width, long share, long most) {
      Builder b = new Builder(width, 1024);
      while (it.hasNext() && b.count <= most) {
        Row r = it.next();
        b.count++;
        if (b.count > share) {
          continue;
        }
        b.add(r.getInt(0), r.getInt(1), r.getLong(2), r.getDouble(3), r.getDouble(4),
            r.isNullAt(5) ? Double.NaN : r.getDouble(5), featureArray(r.get(6)));
        b.hash += r.getLong(7);
      }
      return b.count > b.n ? b.counted() : b.trimmed();
    }

    /** Only the count: nothing to send but it. */
    private Builder counted() {
      Builder b = new Builder(width, 0);
      b.count = count;
      return b;
    }

    private Builder trimmed() {
      Builder b = new Builder(width, 0);
      b.n = n;
      b.count = count;
      b.origin = Arrays.copyOf(origin, n);
      b.week = Arrays.copyOf(week, n);
      b.target = Arrays.copyOf(target, n);
      b.x = Arrays.copyOf(x, n * width);
      b.y = Arrays.copyOf(y, n);
      b.w = Arrays.copyOf(w, n);
      b.level4 = Arrays.copyOf(level4, n);
      b.hash = hash;
      return b;
    }

    /** Appends every row of {@code other} (this builder has room for them) and its hash. */
    void addAll(Builder other) {
      int m = other.n;
      System.arraycopy(other.origin, 0, origin, n, m);
      System.arraycopy(other.week, 0, week, n, m);
      System.arraycopy(other.target, 0, target, n, m);
      System.arraycopy(other.x, 0, x, n * width, m * width);
      System.arraycopy(other.y, 0, y, n, m);
      System.arraycopy(other.w, 0, w, n, m);
      System.arraycopy(other.level4, 0, level4, n, m);
      n += m;
      count += m;
      hash += other.hash;
    }

    TrainingRows build() {
      return new TrainingRows(
          width, Arrays.copyOf(origin, n), Arrays.copyOf(week, n), Arrays.copyOf(target, n),
          Arrays.copyOf(x, n * width), Arrays.copyOf(y, n), Arrays.copyOf(w, n),
          Arrays.copyOf(level4, n));
    }
  }
}
