package io.pricepath.forecast.backtest;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.pmod;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.xxhash64;

import io.pricepath.contract.Columns;
import io.pricepath.contract.ContractTables;
import io.pricepath.contract.Weeks;
import io.pricepath.features.FeatureLayout;
import io.pricepath.forecast.Forecast;
import io.pricepath.forecast.ForecastSettings;
import io.pricepath.forecast.model.ModelSet;
import io.pricepath.forecast.train.SharedSamples;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * The models of each backtest origin, kept under {@code cacheDir/origin=YYYY-MM-DD/}: the saved
 * models and a key file written after them. A later backtest reuses them when the key matches:
 * the origin, the model code version ({@link Forecast#modelCodeVersion} and the feature
 * layout's {@linkplain FeatureLayout#codeFingerprint() code fingerprint}), the training settings
 * and a fingerprint of every row training can read for that
 * origin (weekly rows before it, returns that came back before it, the whole articles and
 * residuals tables).
 */
final class ModelCache {
  private ModelCache() {}

  static final String KEY_FILE = "backtest-key.txt";
  static final int FORMAT = 1;

  /**
   * Models of one origin.
   *
   * @param models the models
   * @param trained whether they were trained now (else read from the cache)
   * @param dir the folder they are saved in
   */
  record Entry(ModelSet models, boolean trained, String dir) {}

  /** The cache folder of {@code origin}. */
  static String folder(String cacheDir, LocalDate origin) {
    return new Path(cacheDir, "origin=" + origin).toString();
  }

  /**
   * The models of {@code origin}: read from the cache when its key is {@code key}, else trained
   * on the history before the origin and saved with that key.
   */
  static Entry models(
      SparkSession spark,
      SharedSamples samples,
      LocalDate origin,
      ForecastSettings settings,
      String cacheDir,
      String key) {
    String dir = folder(cacheDir, origin);
    Configuration hadoop = spark.sparkContext().hadoopConfiguration();
    Path keyFile = new Path(dir, KEY_FILE);
    if (cached(spark, origin, cacheDir, key)) {
      try {
        return new Entry(Forecast.load(dir), false, dir);
      } catch (IllegalArgumentException e) {
        // an altered or incomplete folder: trained again below
      }
    }
    delete(keyFile, hadoop);
    // samples hold the training origins of the origins not cached when the backtest began; a
    // cached folder found unreadable just now trains on samples built for it alone
    ModelSet models =
        samples.covers(SharedSamples.trainingOrigins(origin, settings), origin, settings.horizon())
            ? Forecast.train(spark, samples, origin, settings, dir, Backtest.EVALUATED)
            : Forecast.train(spark, samples.tables(), origin, settings, dir);
    write(keyFile, key, hadoop);
    return new Entry(models, true, dir);
  }

  /** Whether the cache holds models of {@code origin} saved with {@code key}. */
  static boolean cached(SparkSession spark, LocalDate origin, String cacheDir, String key) {
    Path keyFile = new Path(folder(cacheDir, origin), KEY_FILE);
    return key.equals(read(keyFile, spark.sparkContext().hadoopConfiguration()));
  }

  /**
   * The cache key of every origin: format, model code version, origin, the settings and the fingerprints of what
   * training may read for it.
   */
  static Map<LocalDate, String> keys(
      ContractTables tables, List<LocalDate> origins, ForecastSettings settings) {
    TreeMap<LocalDate, long[]> weekly = byWeek(tables.weekly(), Columns.WEEK);
    TreeMap<LocalDate, long[]> returns =
        tables.returns().map(r -> byWeek(r, Columns.RETURN_WEEK)).orElse(new TreeMap<>());
    String articles = whole(tables.articles());
    String residuals = tables.residuals().map(ModelCache::whole).orElse("absent");
    Map<LocalDate, String> keys = new LinkedHashMap<>();
    for (LocalDate o : origins) {
      keys.put(
          o,
          String.join(
              "\n",
              "format=" + FORMAT,
              "model_code=" + Forecast.modelCodeVersion(),
              "feature_layout=" + FeatureLayout.codeFingerprint(),
              "origin=" + o,
              "settings=" + settings,
              "weekly=" + before(weekly, o),
              "returns=" + (tables.returns().isPresent() ? before(returns, o) : "absent"),
              "articles=" + articles,
              "residuals=" + residuals,
              ""));
    }
    return keys;
  }

  private static Column rowHash(Dataset<Row> table) {
    Column[] all = Arrays.stream(table.columns()).map(c -> col("`" + c + "`")).toArray(Column[]::new);
    return pmod(xxhash64(all), lit(2_147_483_647L));
  }

  /** Row count and order-independent hash per week of {@code weekColumn}. */
  private static TreeMap<LocalDate, long[]> byWeek(Dataset<Row> table, String weekColumn) {
    TreeMap<LocalDate, long[]> out = new TreeMap<>();
    for (Row r :
        table.groupBy(col(weekColumn)).agg(count(lit(1)), sum(rowHash(table))).collectAsList()) {
      out.put(
          Weeks.toLocalDate(r.get(0)),
          new long[] {r.getLong(1), r.isNullAt(2) ? 0 : ((Number) r.get(2)).longValue()});
    }
    return out;
  }

  private static String before(TreeMap<LocalDate, long[]> byWeek, LocalDate origin) {
    long rows = 0;
    long hash = 0;
    for (long[] v : byWeek.headMap(origin, false).values()) {
      rows += v[0];
      hash += v[1];
    }
    return "rows:%d;hash:%d".formatted(rows, hash);
  }

  private static String whole(Dataset<Row> table) {
    Row r = table.agg(count(lit(1)), sum(rowHash(table))).first();
    return "rows:%d;hash:%d".formatted(r.getLong(0), r.isNullAt(1) ? 0 : ((Number) r.get(1)).longValue());
  }

  private static String read(Path file, Configuration hadoop) {
    try (FileSystem fs = FileSystem.newInstance(file.toUri(), hadoop)) {
      if (!fs.exists(file)) {
        return null;
      }
      try (InputStream in = fs.open(file)) {
        return new String(in.readAllBytes(), StandardCharsets.UTF_8);
      }
    } catch (IOException e) {
      throw new IllegalStateException(
          "Cannot read the backtest model cache: %s (%s)".formatted(e.getMessage(), file), e);
    }
  }

  private static void delete(Path file, Configuration hadoop) {
    try (FileSystem fs = FileSystem.newInstance(file.toUri(), hadoop)) {
      fs.delete(file, false);
    } catch (IOException e) {
      throw new IllegalStateException(
          "Cannot clear the backtest model cache: %s (%s)".formatted(e.getMessage(), file), e);
    }
  }

  static void write(Path file, String text, Configuration hadoop) {
    try (FileSystem fs = FileSystem.newInstance(file.toUri(), hadoop)) {
      fs.setWriteChecksum(false);
      try (OutputStream out = fs.create(file, true)) {
        out.write(text.getBytes(StandardCharsets.UTF_8));
      }
    } catch (IOException e) {
      throw new IllegalStateException(
          "Cannot write %s: %s".formatted(file, e.getMessage()), e);
    }
  }
}
