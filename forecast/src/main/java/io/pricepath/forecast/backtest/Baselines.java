package io.pricepath.forecast.backtest;

import static org.apache.spark.sql.functions.array;
import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.date_add;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.log;

import io.pricepath.contract.Columns;
import io.pricepath.contract.ContractTables;
import io.pricepath.contract.Weeks;
import java.io.Serializable;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.storage.StorageLevel;

/**
 * Runs the two baselines on Spark: the weekly rows are grouped into series on the executors
 * (one task per partition of (article, market) pairs); a first pass pools the category
 * statistics of every origin (small, merged on the driver), a second computes the forecasts.
 */
final class Baselines {
  private Baselines() {}

  static final String RECENT_MEAN = "forecast_recent_mean";
  static final String LOG_LOG = "forecast_loglog";
  static final String ORIGIN = "origin";

  private static final String CATEGORY = "_category";
  private static final String UNITS = "_units";
  private static final String CENSORED = "_censored";
  private static final String X = "_x";
  private static final String ORIGIN_DAY = "_origin_day";
  private static final String WEEK_DAY = "_week_day";
  private static final String ANY = "\u0001*";

  private static final StructType POOLS =
      new StructType()
          .add("kind", DataTypes.IntegerType, false)
          .add("key", DataTypes.StringType, false)
          .add("values", DataTypes.createArrayType(DataTypes.DoubleType, false), false);

  private static final StructType FORECASTS =
      new StructType()
          .add(ORIGIN_DAY, DataTypes.LongType, false)
          .add(Columns.ARTICLE_ID, DataTypes.StringType, false)
          .add(Columns.MARKET, DataTypes.StringType, false)
          .add(WEEK_DAY, DataTypes.LongType, false)
          .add(RECENT_MEAN, DataTypes.DoubleType, false)
          .add(LOG_LOG, DataTypes.DoubleType, false);

  /**
   * Both baselines for every weekly row in {@code [o, o + horizon)} of every origin {@code o}:
   * columns {@code origin, article_id, market, week, forecast_recent_mean, forecast_loglog}.
   * Each origin reads only rows before it, at most {@code trainingWeeks} back. The result is
   * persisted (and computed): the caller unpersists it.
   */
  static Dataset<Row> forecasts(
      ContractTables tables,
      List<LocalDate> origins,
      int horizon,
      int trainingWeeks,
      int partitions) {
    LocalDate first = origins.get(0).minusWeeks(trainingWeeks);
    LocalDate last = origins.get(origins.size() - 1).plusWeeks(horizon);
    Dataset<Row> weekly = tables.weekly();
    List<String> present = Arrays.asList(weekly.columns());
    List<Column> regressors = new ArrayList<>();
    regressors.add(
        log(col(Columns.BLACK_PRICE).multiply(lit(1.0).minus(col(Columns.DISCOUNT)))));
    present.stream()
        .filter(c -> c.startsWith(Columns.NUMERIC_PREFIX))
        .sorted()
        .forEach(c -> regressors.add(coalesce(col(c).cast(DataTypes.DoubleType), lit(0.0))));
    Column stock = col(Columns.STOCK_ON_HAND);
    Dataset<Row> categories =
        tables
            .articles()
            .select(col(Columns.ARTICLE_ID), col(Columns.CATEGORY).cast(DataTypes.StringType).as(CATEGORY));
    Dataset<Row> series =
        weekly
            .filter(col(Columns.WEEK).geq(lit(first)).and(col(Columns.WEEK).lt(lit(last))))
            .join(categories, seq(Columns.ARTICLE_ID), "left")
            .select(
                col(Columns.ARTICLE_ID),
                col(Columns.MARKET),
                coalesce(col(CATEGORY), lit("")).as(CATEGORY),
                col(Columns.WEEK),
                col(Columns.UNITS_SOLD).cast(DataTypes.DoubleType).as(UNITS),
                coalesce(stock.isNotNull().and(col(Columns.UNITS_SOLD).geq(stock)), lit(false))
                    .as(CENSORED),
                array(regressors.toArray(new Column[0])).as(X))
            .repartition(partitions, col(Columns.ARTICLE_ID), col(Columns.MARKET))
            .sortWithinPartitions(Columns.ARTICLE_ID, Columns.MARKET, Columns.WEEK)
            .persist(StorageLevel.MEMORY_AND_DISK());
    try {
      int p = regressors.size();
      Priors priors = Priors.merge(
          series
              .mapPartitions(new PoolPass(origins, trainingWeeks, p), Encoders.row(POOLS))
              .collectAsList(),
          p);
      Dataset<Row> out =
          series
              .mapPartitions(
                  new ForecastPass(origins, horizon, trainingWeeks, priors),
                  Encoders.row(FORECASTS))
              .select(
                  date_add(lit(LocalDate.EPOCH), col(ORIGIN_DAY).cast(DataTypes.IntegerType))
                      .as(ORIGIN),
                  col(Columns.ARTICLE_ID),
                  col(Columns.MARKET),
                  date_add(lit(LocalDate.EPOCH), col(WEEK_DAY).cast(DataTypes.IntegerType))
                      .as(Columns.WEEK),
                  col(RECENT_MEAN),
                  col(LOG_LOG))
              .persist(StorageLevel.MEMORY_AND_DISK());
      out.count();
      return out;
    } finally {
      series.unpersist();
    }
  }

  /** Keys of the pools: kind 0 = log-log pool of a category, 1 = recent units of a category × market. */
  static String key(String a, String b, LocalDate origin) {
    return a + "\u0000" + b + "\u0000" + origin;
  }

  /** The category-level fits and recent means of every origin, as the forecast pass reads them. */
  record Priors(Map<String, LogLogElasticity.Fit> fits, Map<String, Double> recentMeans)
      implements Serializable {

    /** Merges the partial pools of the partitions; adds the all-category fallbacks. */
    static Priors merge(List<Row> partials, int p) {
      Map<String, double[]> pools = new HashMap<>();
      Map<String, double[]> recent = new HashMap<>();
      for (Row r : partials) {
        double[] values = toArray(r.getList(2));
        String key = r.getString(1);
        Map<String, double[]> into = r.getInt(0) == 0 ? pools : recent;
        double[] sum = into.computeIfAbsent(key, k -> new double[values.length]);
        LogLogElasticity.merge(sum, values);
      }
      Map<String, LogLogElasticity.Fit> fits = new HashMap<>();
      Map<String, Double> means = new HashMap<>();
      Map<String, double[]> all = new HashMap<>();
      for (Map.Entry<String, double[]> e : pools.entrySet()) {
        String[] parts = e.getKey().split("\u0000", -1);
        LogLogElasticity.Fit fit = LogLogElasticity.pooledFit(e.getValue());
        if (fit != null) {
          fits.put(e.getKey(), fit);
        }
        LogLogElasticity.merge(
            all.computeIfAbsent(key(ANY, "", LocalDate.parse(parts[2])), k -> LogLogElasticity.pool(p)),
            e.getValue());
      }
      for (Map.Entry<String, double[]> e : all.entrySet()) {
        LogLogElasticity.Fit fit = LogLogElasticity.pooledFit(e.getValue());
        if (fit != null) {
          fits.put(e.getKey(), fit);
        }
      }
      Map<String, double[]> byMarket = new HashMap<>();
      for (Map.Entry<String, double[]> e : recent.entrySet()) {
        String[] parts = e.getKey().split("\u0000", -1);
        double[] s = e.getValue();
        if (s[1] > 0) {
          means.put(e.getKey(), s[0] / s[1]);
        }
        LogLogElasticity.merge(
            byMarket.computeIfAbsent(
                key(ANY, parts[1], LocalDate.parse(parts[2])), k -> new double[2]),
            s);
      }
      byMarket.forEach((k, s) -> {
        if (s[1] > 0) {
          means.put(k, s[0] / s[1]);
        }
      });
      return new Priors(fits, means);
    }

    LogLogElasticity.Fit fit(String category, LocalDate origin) {
      LogLogElasticity.Fit f = fits.get(key(category, "", origin));
      return f != null ? f : fits.get(key(ANY, "", origin));
    }

    double recentMean(String category, String market, LocalDate origin) {
      Double m = recentMeans.get(key(category, market, origin));
      if (m == null) {
        m = recentMeans.get(key(ANY, market, origin));
      }
      return m == null ? 0.0 : m;
    }
  }

  private static double[] toArray(List<Object> values) {
    double[] out = new double[values.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = ((Number) values.get(i)).doubleValue();
    }
    return out;
  }

  static scala.collection.immutable.Seq<String> seq(String... names) {
    return scala.jdk.javaapi.CollectionConverters.asScala(Arrays.asList(names)).toList();
  }

  /** Reads consecutive rows of one (article, market) into series. */
  private static final class SeriesIterator implements Iterator<SeriesBaselines> {
    private final Iterator<Row> rows;
    private Row pending;
    private String article;

    SeriesIterator(Iterator<Row> rows) {
      this.rows = rows;
      this.pending = rows.hasNext() ? rows.next() : null;
    }

    @Override
    public boolean hasNext() {
      return pending != null;
    }

    /** The article of the series {@link #next} returned last. */
    String article() {
      return article;
    }

    @Override
    public SeriesBaselines next() {
      if (pending == null) {
        throw new NoSuchElementException();
      }
      Row first = pending;
      article = first.getString(0);
      String market = first.getString(1);
      List<Row> group = new ArrayList<>();
      group.add(first);
      pending = null;
      while (rows.hasNext()) {
        Row r = rows.next();
        if (r.getString(0).equals(article) && r.getString(1).equals(market)) {
          group.add(r);
        } else {
          pending = r;
          break;
        }
      }
      int n = group.size();
      LocalDate[] weeks = new LocalDate[n];
      double[] units = new double[n];
      boolean[] censored = new boolean[n];
      double[][] x = new double[n][];
      for (int i = 0; i < n; i++) {
        Row r = group.get(i);
        weeks[i] = Weeks.toLocalDate(r.get(3));
        units[i] = r.getDouble(4);
        censored[i] = r.getBoolean(5);
        x[i] = toArray(r.getList(6));
      }
      return new SeriesBaselines(first.getString(2), market, weeks, units, censored, x, n);
    }
  }

  /** First pass: partial category pools of one partition. */
  private record PoolPass(List<LocalDate> origins, int trainingWeeks, int p)
      implements MapPartitionsFunction<Row, Row> {
    @Override
    public Iterator<Row> call(Iterator<Row> input) {
      Map<String, double[]> pools = new HashMap<>();
      Map<String, double[]> recent = new HashMap<>();
      SeriesIterator it = new SeriesIterator(input);
      while (it.hasNext()) {
        SeriesBaselines s = it.next();
        for (LocalDate o : origins) {
          s.contribute(
              o,
              trainingWeeks,
              pools.computeIfAbsent(key(s.category(), "", o), k -> LogLogElasticity.pool(p)),
              recent.computeIfAbsent(key(s.category(), s.market(), o), k -> new double[2]));
        }
      }
      List<Row> out = new ArrayList<>();
      pools.forEach((k, v) -> out.add(RowFactory.create(0, k, boxed(v))));
      recent.forEach((k, v) -> out.add(RowFactory.create(1, k, boxed(v))));
      return out.iterator();
    }

    private static Double[] boxed(double[] v) {
      return Arrays.stream(v).boxed().toArray(Double[]::new);
    }
  }

  /** Second pass: the forecasts of every series of one partition, series by series. */
  private record ForecastPass(
      List<LocalDate> origins, int horizon, int trainingWeeks, Priors priors)
      implements MapPartitionsFunction<Row, Row> {
    @Override
    public Iterator<Row> call(Iterator<Row> input) {
      SeriesIterator series = new SeriesIterator(input);
      return new Iterator<>() {
        private final List<Row> buffer = new ArrayList<>();
        private int next;

        @Override
        public boolean hasNext() {
          while (next >= buffer.size() && series.hasNext()) {
            buffer.clear();
            next = 0;
            SeriesBaselines s = series.next();
            String article = series.article();
            for (LocalDate o : origins) {
              for (SeriesBaselines.Forecast f :
                  s.forecast(
                      o,
                      horizon,
                      trainingWeeks,
                      priors.fit(s.category(), o),
                      priors.recentMean(s.category(), s.market(), o))) {
                buffer.add(
                    RowFactory.create(
                        f.origin().toEpochDay(),
                        article,
                        s.market(),
                        f.week().toEpochDay(),
                        f.recentMean(),
                        f.logLog()));
              }
            }
          }
          return next < buffer.size();
        }

        @Override
        public Row next() {
          if (!hasNext()) {
            throw new NoSuchElementException();
          }
          return buffer.get(next++);
        }
      };
    }
  }
}
