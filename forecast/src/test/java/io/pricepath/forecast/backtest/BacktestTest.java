package io.pricepath.forecast.backtest;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.least;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.when;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.pricepath.contract.Columns;
import io.pricepath.contract.ContractTables;
import io.pricepath.contract.SparkSessions;
import io.pricepath.contract.Weeks;
import io.pricepath.features.ContractFixtures;
import io.pricepath.features.FeatureBuilder;
import io.pricepath.forecast.Forecast;
import io.pricepath.forecast.ForecastSettings;
import io.pricepath.forecast.model.ModelSet;
import io.pricepath.forecast.model.Target;
import io.pricepath.forecast.train.SharedSamples;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Backtests a seeded contract fixture twice (the second run from the cache) and once on a copy
 * whose rows after the first origin were altered.
 */
class BacktestTest {
  private static final int H = 4;
  private static final LocalDate O1 = ContractFixtures.START.plusWeeks(30);
  private static final LocalDate O2 = O1.plusWeeks(H);
  private static final ForecastSettings FORECAST =
      new ForecastSettings(
          H, new double[] {0, 0.2, 0.4}, 24, 4, 0, 12, 3, 0.3, 42L, 2, 20, 4, 4096);
  private static final BacktestSettings SETTINGS = new BacktestSettings(O1, O2, H, H, FORECAST);

  @TempDir static Path dir;
  private static SparkSession spark;
  private static ContractTables tables;
  private static BacktestResult first;
  private static BacktestResult second;
  private static Map<Path, FileTime> cacheTimes;

  @BeforeAll
  static void runTwice() throws IOException {
    spark = SparkSessions.local("BacktestTest", 2, 4);
    tables = ContractFixtures.build(spark, ContractFixtures.Spec.full());
    String cache = dir.resolve("cache").toString();
    first = Backtest.run(spark, tables, SETTINGS, dir.resolve("out1").toString(), cache);
    cacheTimes = modifiedTimes(dir.resolve("cache"));
    second = Backtest.run(spark, tables, SETTINGS, dir.resolve("out2").toString(), cache);
    System.out.println(first.render());
  }

  @Test
  void theCacheKeyNamesTheModelCodeVersionSoOlderModelsAreNotReused() {
    String key = ModelCache.keys(tables, List.of(O1), SETTINGS.training()).get(O1);
    assertThat(key)
        .contains("model_code=" + io.pricepath.forecast.Forecast.modelCodeVersion() + "\n")
        .contains("feature_layout=" + io.pricepath.features.FeatureLayout.codeFingerprint() + "\n");
    // a copy of the cached models of O1 whose key was written by older code is trained again
    String cache = dir.resolve("old-code-cache").toString();
    Path keyFile = Path.of(ModelCache.folder(cache, O1), ModelCache.KEY_FILE);
    try {
      Path from = Path.of(ModelCache.folder(dir.resolve("cache").toString(), O1));
      try (Stream<Path> files = Files.walk(from)) {
        for (Path f : files.toList()) {
          Path to = Path.of(ModelCache.folder(cache, O1)).resolve(from.relativize(f).toString());
          if (Files.isDirectory(f)) {
            Files.createDirectories(to);
          } else {
            Files.copy(f, to);
          }
        }
      }
      BacktestResult copied =
          Backtest.run(
              spark, tables, new BacktestSettings(O1, O1, H, H, FORECAST),
              dir.resolve("old-code-1").toString(), cache);
      assertThat(copied.trained()).isZero();
      Files.writeString(
          keyFile,
          Files.readString(keyFile)
              .replace(
                  "model_code=" + io.pricepath.forecast.Forecast.modelCodeVersion(),
                  "model_code=older"));
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
    BacktestResult again =
        Backtest.run(
            spark, tables, new BacktestSettings(O1, O1, H, H, FORECAST),
            dir.resolve("old-code-2").toString(), cache);
    assertThat(again.trained()).isEqualTo(1);
  }

  @AfterAll
  static void stop() {
    spark.stop();
  }

  private static Map<Path, FileTime> modifiedTimes(Path root) throws IOException {
    Map<Path, FileTime> times = new HashMap<>();
    try (Stream<Path> files = Files.walk(root)) {
      for (Path p : files.filter(Files::isRegularFile).toList()) {
        times.put(p, Files.getLastModifiedTime(p));
      }
    }
    return times;
  }

  private static List<Row> predictions(String out) {
    return spark
        .read()
        .parquet(dir.resolve(out).resolve(Backtest.PREDICTIONS).toString())
        .orderBy("origin", "article_id", "market", "week")
        .collectAsList();
  }

  @Test
  void writesOnePredictionPerOriginAndWeeklyRowOfItsHorizon() {
    long expected = 0;
    for (LocalDate o : SETTINGS.origins()) {
      expected +=
          tables
              .weekly()
              .filter(col(Columns.WEEK).geq(lit(o)).and(col(Columns.WEEK).lt(lit(o.plusWeeks(H)))))
              .count();
    }
    Dataset<Row> p =
        spark.read().parquet(dir.resolve("out1").resolve(Backtest.PREDICTIONS).toString());
    assertThat(p.columns()).containsExactlyElementsOf(Backtest.PREDICTION_COLUMNS);
    assertThat(expected).isGreaterThan(100);
    assertThat(p.count()).isEqualTo(expected);
    assertThat(
            p.filter(
                    col("forecast_pricepath").isNull()
                        .or(col("forecast_recent_mean").isNull())
                        .or(col("forecast_loglog").isNull()))
                .count())
        .isZero();
    assertThat(p.filter(col("h").lt(1).or(col("h").gt(H))).count()).isZero();
    assertThat(first.n() + first.censoredRows()).isEqualTo(expected);
    assertThat(first.censoredRows()).isPositive();
  }

  @Test
  void metricsJsonMatchesThePredictionsArithmetic() throws IOException {
    JsonNode json =
        new ObjectMapper().readTree(dir.resolve("out1").resolve(Backtest.METRICS).toFile());
    assertThat(json.fieldNames())
        .toIterable()
        .containsExactly("wape", "bias", "n", "by_horizon", "by_target", "models", "excluded");
    double[][] sums = new double[3][3]; // per model: |err|, signed err, actual
    double[][] byH = new double[H + 1][2];
    long n = 0;
    String[] columns = {"forecast_pricepath", "forecast_recent_mean", "forecast_loglog"};
    for (Row r : predictions("out1")) {
      if (r.<Boolean>getAs("censored")) {
        continue;
      }
      n++;
      double actual = r.getAs("actual");
      for (int m = 0; m < 3; m++) {
        double f = r.getAs(columns[m]);
        sums[m][0] += Math.abs(actual - f);
        sums[m][1] += f - actual;
        sums[m][2] += actual;
      }
      int h = r.getAs("h");
      byH[h][0] += Math.abs(actual - r.<Double>getAs("forecast_pricepath"));
      byH[h][1] += actual;
    }
    assertThat(json.get("n").asLong()).isEqualTo(n);
    assertThat(json.get("wape").asDouble()).isCloseTo(sums[0][0] / sums[0][2], within(1e-9));
    assertThat(json.get("bias").asDouble()).isCloseTo(sums[0][1] / sums[0][2], within(1e-9));
    String[] names = {"pricepath", "recent_mean", "loglog_elasticity"};
    for (int m = 0; m < 3; m++) {
      JsonNode model = json.get("models").get(names[m]);
      assertThat(model.get("wape").asDouble()).as(names[m]).isCloseTo(sums[m][0] / sums[m][2], within(1e-9));
      assertThat(model.get("bias").asDouble()).as(names[m]).isCloseTo(sums[m][1] / sums[m][2], within(1e-9));
      assertThat(first.wape(names[m])).isCloseTo(sums[m][0] / sums[m][2], within(1e-9));
    }
    assertThat(json.get("by_horizon")).hasSize(H);
    for (int h = 1; h <= H; h++) {
      JsonNode e = json.get("by_horizon").get(h - 1);
      assertThat(e.get("h").asInt()).isEqualTo(h);
      assertThat(e.get("wape").asDouble()).isCloseTo(byH[h][0] / byH[h][1], within(1e-9));
    }
    assertThat(json.get("by_target").fieldNames())
        .toIterable()
        .containsExactly("return_rate", "fulfillment_cost_per_unit");
    for (JsonNode t : json.get("by_target")) {
      assertThat(t.get("n").asLong()).isPositive();
      assertThat(t.get("wape").asDouble()).isBetween(0.0, 1.0);
      assertThat(t.get("meaning").asText()).contains("given the units actually sold");
    }
    assertThat(json.get("excluded").asText()).startsWith("sold-out weeks (units_sold >= stock_on_hand)");
    String html = Files.readString(dir.resolve("out1").resolve(Backtest.REPORT));
    assertThat(html).contains("<svg", "Accuracy by horizon week", "loglog_elasticity").doesNotContain("<script");
    assertThat(html.split("<path").length).as("the lines JFreeChart drew").isGreaterThan(10);
  }

  @Test
  void theSecondRunReusesTheCachedModelsAndGivesTheSameFigures() throws IOException {
    assertThat(first.trained()).isEqualTo(2);
    assertThat(first.reused()).isZero();
    assertThat(second.trained()).isZero();
    assertThat(second.reused()).isEqualTo(2);
    assertThat(modifiedTimes(dir.resolve("cache"))).isEqualTo(cacheTimes);
    assertThat(cacheTimes.keySet())
        .anyMatch(p -> p.endsWith(Path.of("origin=" + O1, "demand", "provenance.json")));
    assertThat(second.modelVersions()).isEqualTo(first.modelVersions());
    // the same figures up to the order of Spark's floating-point sums
    assertThat(second.models().keySet()).isEqualTo(first.models().keySet());
    first.models()
        .forEach(
            (m, a) -> {
              Accuracy b = second.models().get(m);
              assertThat(b.n()).as(m).isEqualTo(a.n());
              assertThat(b.actual()).as(m).isEqualTo(a.actual());
              assertThat(b.absoluteError()).as(m).isCloseTo(a.absoluteError(), within(1e-6));
              assertThat(b.signedError()).as(m).isCloseTo(a.signedError(), within(1e-6));
            });
    assertThat(predictions("out2")).isEqualTo(predictions("out1"));
  }

  @Test
  void theOriginsModelsAreTrainedForTheEvaluatedTargetsOnly() {
    try (ModelSet cached = Forecast.load(ModelCache.folder(dir.resolve("cache").toString(), O1))) {
      for (Target t : Target.values()) {
        String kind = cached.get(t).provenance().kind();
        if (Backtest.EVALUATED.contains(t)) {
          assertThat(kind).as(t.column()).isNotEqualTo("constant");
        } else {
          assertThat(kind).as(t.column()).isEqualTo("constant");
          assertThat(cached.get(t).provenance().notes()).as(t.column())
              .anyMatch(n -> n.startsWith("not trained"));
        }
      }
    }
  }

  @Test
  void theOtherFamilyIsReportedBesideTheFirstOnTheSameRows() {
    io.pricepath.forecast.ModelFamily transformer =
        new io.pricepath.forecast.ModelFamily("transformer", 8, 8, 2, 1, 2, 1, 32, 0.01, 0.05, 1, "cpu");
    BacktestSettings both = new BacktestSettings(O2, O2, H, H, FORECAST).comparedWith(transformer);
    String out = dir.resolve("both").toString();
    BacktestResult r = Backtest.run(spark, tables, both, out, dir.resolve("cache").toString());
    assertThat(r.models().keySet())
        .containsExactly("pricepath", "recent_mean", "loglog_elasticity", "pricepath_transformer");
    // the trees' models of O2 come from the first run's cache; the transformer's are trained
    assertThat(r.trained()).isEqualTo(1);
    assertThat(r.reused()).isEqualTo(1);
    assertThat(r.modelVersions()).containsExactly(Map.entry(O2, first.modelVersions().get(O2)));
    assertThat(dir.resolve("cache").resolve("family=transformer")).isDirectory();
    assertThat(r.models().get("pricepath_transformer").n()).isEqualTo(r.n());
    assertThat(r.wape("pricepath_transformer")).isBetween(0.0, 2.0);
    assertThat(r.byHorizon()).allSatisfy(h -> assertThat(h.models()).containsKey("pricepath_transformer"));
    Dataset<Row> p = spark.read().parquet(out + "/predictions");
    assertThat(p.columns()).contains("forecast_pricepath_transformer");
    assertThat(p.filter(col("forecast_pricepath_transformer").isNull()).count()).isZero();
    assertThat(r.render()).contains("pricepath_transformer");
    assertThatThrownBy(() -> new BacktestSettings(O2, O2, H, H, FORECAST)
            .comparedWith(io.pricepath.forecast.ModelFamily.TREES))
        .hasMessageContaining("Cannot compare the trees family with itself");
  }

  @Test
  void aCachedFolderFoundUnreadableIsTrainedAgain() throws IOException {
    // a copy of the first run's models of O2 whose key still matches, but a model file is gone:
    // the backtest builds no training samples for O2 up front, and trains it again on its own
    String cache = dir.resolve("unreadable-cache").toString();
    Path from = Path.of(ModelCache.folder(dir.resolve("cache").toString(), O2));
    Path to = Path.of(ModelCache.folder(cache, O2));
    Files.createDirectories(to.getParent());
    try (Stream<Path> files = Files.walk(from)) {
      for (Path p : files.toList()) {
        Files.copy(p, to.resolve(from.relativize(p).toString()));
      }
    }
    try (Stream<Path> files = Files.walk(to.resolve("demand"))) {
      for (Path p : files.filter(Files::isRegularFile).toList()) {
        Files.delete(p);
      }
    }
    BacktestSettings one = new BacktestSettings(O2, O2, H, H, FORECAST);
    BacktestResult again =
        Backtest.run(spark, tables, one, dir.resolve("unreadable-2").toString(), cache);
    assertThat(again.trained()).isEqualTo(1);
    assertThat(again.modelVersions()).containsExactly(Map.entry(O2, first.modelVersions().get(O2)));
  }

  @Test
  void sharedSamplesHoldExactlyTheRowsBuiltForOneTrainingAndGiveTheSameModels(
      @TempDir Path models) {
    // built wider than any reader needs: more origins, a later end, a longer horizon
    SortedSet<LocalDate> wanted = SharedSamples.trainingOrigins(O2, SETTINGS.training());
    SortedSet<LocalDate> all = new TreeSet<>(Backtest.samplesNeeded(SETTINGS));
    all.add(O2.plusWeeks(1));
    try (SharedSamples shared = SharedSamples.of(tables, all, O2.plusWeeks(2 * H), H + 2)) {
      assertThat(all).containsAll(wanted);
      List<String> read = sortedStrings(shared.rows(wanted, O2, H));
      List<String> built =
          sortedStrings(FeatureBuilder.trainingSamples(tables, O2, List.copyOf(wanted), H));
      assertThat(read).hasSizeGreaterThan(100).isEqualTo(built);
      assertThat(shared.covers(List.of(O2.plusWeeks(2)), O2, H)).isFalse();
      assertThatThrownBy(() -> shared.rows(wanted, O2, H + 3))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("Cannot read samples of origins");
      // the backtest trained each origin from shared samples; alone, the same models
      try (ModelSet alone =
          io.pricepath.forecast.Forecast.train(
              spark, tables, O2, SETTINGS.training(), models.toString())) {
        assertThat(alone.get(Target.DEMAND).version()).isEqualTo(first.modelVersions().get(O2));
      }
    }
  }

  /**
   * The rows as strings, sorted, with every decimal number to 12 significant digits: Spark's
   * floating-point sums may add in another order when more origins are built together.
   */
  private static List<String> sortedStrings(Dataset<Row> rows) {
    java.util.regex.Pattern decimal = java.util.regex.Pattern.compile("-?\\d+\\.\\d+(E-?\\d+)?");
    return rows.collectAsList().stream()
        .map(r -> decimal.matcher(r.toString())
            .replaceAll(m -> String.format(java.util.Locale.ROOT, "%.12g", Double.parseDouble(m.group()))))
        .sorted()
        .toList();
  }

  @Test
  void rowsAfterAnOriginChangeNeitherItsModelsNorItsForecasts() {
    LocalDate cut = O1.plusWeeks(H);
    Column week = col(Columns.WEEK);
    Column units = col(Columns.UNITS_SOLD);
    Dataset<Row> weekly =
        tables
            .weekly()
            .withColumn(
                Columns.UNITS_SOLD,
                when(week.geq(lit(cut)), units.multiply(3).plus(1))
                    .when(week.geq(lit(O1)), units.plus(5))
                    .otherwise(units))
            .withColumn(
                Columns.DISCOUNT,
                when(week.geq(lit(cut)), least(col(Columns.DISCOUNT).plus(0.2), lit(0.9)))
                    .otherwise(col(Columns.DISCOUNT)));
    ContractTables altered =
        new ContractTables(
            tables.root(), tables.articles(), weekly, tables.returns(), tables.residuals());
    assertThat(ModelCache.keys(altered, List.of(O1, O2), SETTINGS.training()))
        .satisfies(
            keys -> {
              Map<LocalDate, String> original =
                  ModelCache.keys(tables, List.of(O1, O2), SETTINGS.training());
              assertThat(keys.get(O1)).isEqualTo(original.get(O1));
              assertThat(keys.get(O2)).isNotEqualTo(original.get(O2));
            });
    BacktestSettings onlyFirst = new BacktestSettings(O1, O1, H, H, FORECAST);
    BacktestResult result =
        Backtest.run(
            spark, altered, onlyFirst, dir.resolve("altered").toString(),
            dir.resolve("altered-cache").toString());
    assertThat(result.trained()).isEqualTo(1);
    assertThat(result.modelVersions().get(O1)).isEqualTo(first.modelVersions().get(O1));

    List<Row> before =
        predictions("out1").stream()
            .filter(r -> Weeks.toLocalDate(r.getAs("origin")).equals(O1))
            .toList();
    List<Row> after = predictions("altered");
    assertThat(after).hasSameSizeAs(before).isNotEmpty();
    for (int i = 0; i < before.size(); i++) {
      Row b = before.get(i);
      Row a = after.get(i);
      assertThat(a.<String>getAs("article_id")).isEqualTo(b.getAs("article_id"));
      assertThat(a.<Object>getAs("week")).isEqualTo(b.getAs("week"));
      assertThat(a.<Double>getAs("discount")).isEqualTo(b.<Double>getAs("discount"));
      // weeks in [o, o + H) change only the actuals
      assertThat(a.<Double>getAs("actual")).isEqualTo(b.<Double>getAs("actual") + 5);
      for (String f : List.of("forecast_pricepath", "forecast_recent_mean", "forecast_loglog")) {
        assertThat(a.<Double>getAs(f)).as(f).isEqualTo(b.<Double>getAs(f));
      }
    }
    // the alteration does reach the baselines of the later origin: the comparison is not vacuous
    List<Row> later = baselines(tables, O2);
    List<Row> laterAltered = baselines(altered, O2);
    assertThat(laterAltered).hasSameSizeAs(later).isNotEqualTo(later);
  }

  private static List<Row> baselines(ContractTables data, LocalDate origin) {
    Dataset<Row> b = Baselines.forecasts(data, List.of(origin), H, FORECAST.trainingWeeks(), 4);
    List<Row> rows = b.orderBy("article_id", "market", "week").collectAsList();
    b.unpersist();
    return rows;
  }

  @Test
  void demandFiguresLeaveSoldOutWeeksOutAndSumOverHorizons() {
    StructType schema =
        new StructType()
            .add("h", DataTypes.IntegerType)
            .add("actual", DataTypes.DoubleType)
            .add("censored", DataTypes.BooleanType)
            .add("forecast_pricepath", DataTypes.DoubleType)
            .add("forecast_recent_mean", DataTypes.DoubleType)
            .add("forecast_loglog", DataTypes.DoubleType);
    List<Row> rows = new ArrayList<>();
    rows.add(RowFactory.create(1, 10.0, false, 8.0, 10.0, 12.0));
    rows.add(RowFactory.create(1, 0.0, false, 1.0, 0.0, 0.0));
    rows.add(RowFactory.create(1, 3.0, true, 50.0, 50.0, 50.0)); // sold out: left out
    rows.add(RowFactory.create(2, 5.0, false, 5.0, 4.0, 6.0));
    List<BacktestResult.Horizon> byH = Evaluation.byHorizon(spark.createDataFrame(rows, schema), 3);
    assertThat(byH).extracting(BacktestResult.Horizon::h).containsExactly(1, 2, 3);
    assertThat(byH.get(0).models().get("pricepath")).isEqualTo(new Accuracy(3, -1, 10, 2));
    assertThat(byH.get(1).models().get("recent_mean")).isEqualTo(new Accuracy(1, -1, 5, 1));
    assertThat(byH.get(2).models().get("loglog_elasticity")).isEqualTo(Accuracy.EMPTY);
    Map<String, Accuracy> total = Evaluation.total(byH);
    assertThat(total.get("pricepath").wape()).isCloseTo(3.0 / 15, within(1e-12));
    assertThat(total.get("pricepath").bias()).isCloseTo(-1.0 / 15, within(1e-12));
    assertThat(total.get("loglog_elasticity")).isEqualTo(new Accuracy(3, 3, 15, 3));
  }

  @Test
  void refusesAnOriginWithoutHistory() {
    BacktestSettings early =
        new BacktestSettings(ContractFixtures.START, ContractFixtures.START, 1, 2, FORECAST);
    assertThatThrownBy(
            () ->
                Backtest.run(
                    spark, tables, early, dir.resolve("early").toString(),
                    dir.resolve("early-cache").toString()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("Cannot train models: memory:fixture/weekly has no rows");
  }
}
