package io.pricepath.jobs.cli;

import static io.pricepath.contract.TinyDataset.WEEKLY;
import static org.assertj.core.api.Assertions.assertThat;

import io.pricepath.contract.SparkSessions;
import io.pricepath.contract.TinyDataset;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

/**
 * The catalogue of bad inputs, each through the command line as a user meets it: the exit code 2,
 * the exact {@code error: Cannot …} line (and the report line that names the table, column, rows
 * and fix), no stack trace, and nothing written or changed on disk. The validator's every rule is
 * {@code DatasetValidatorTest}'s and the overrides file's every kind {@code OverridesTest}'s; these
 * are the kinds a user hits first, end to end.
 */
class BadInputCatalogueTest {
  @TempDir static Path dir;
  static SparkSession spark;
  static Path clean;

  @BeforeAll
  static void start() {
    spark = SparkSessions.local("bad-input-catalogue", 1, 2); // the commands join it instead of starting their own
    clean = TinyDataset.writeClean(spark, dir.resolve("clean"));
  }

  @AfterAll
  static void stop() {
    spark.stop();
  }

  /**
   * One kind of bad input.
   *
   * @param name what is wrong
   * @param args the command line, given the case's folder
   * @param error the exact error line the user reads on stderr
   * @param report a line stdout must hold (the validator's finding), or null
   */
  record Case(String name, java.util.function.Function<Path, String[]> args, String error, String report) {}

  static final String ROW_FIX = " — fix the source extract or quarantine this row with --quarantine DIR";

  static String cannotUse(Path root, int problems) {
    return "error: Cannot use dataset %s: %d fatal problem%s (listed above); fix %s, or set bad rows aside with "
        .formatted(root, problems, problems == 1 ? "" : "s", problems == 1 ? "it" : "them")
        + "--quarantine DIR";
  }

  static List<Row> weeklyWith(String column, Object value) {
    return TinyDataset.with(TinyDataset.weekly(), WEEKLY, 0, column, value);
  }

  static void weekly(Path data, List<Row> rows) {
    TinyDataset.write(spark, data, "weekly", WEEKLY, rows);
  }

  static String rowProblem(String table, String column, String finding, String example, String requirement) {
    return "FATAL    %s.%s: 1 row has %s (examples: %s); %s%s".formatted(table, column, finding, example, requirement,
        ROW_FIX);
  }

  static List<DatasetCase> datasetCases() {
    String units = " must be at most 1e9 (a billion units in one week of one article-market: check the unit, and "
        + "sentinels such as 9223372036854775807)";
    return List.of(
        new DatasetCase("units sold of Long.MAX_VALUE (a sentinel)", d -> weekly(d, weeklyWith("units_sold", Long.MAX_VALUE)),
            1, rowProblem("weekly", "units_sold", "units_sold above 1e9", "A1|DE|2025-03-03", "units_sold" + units)),
        new DatasetCase("a stock of 1e12 units", d -> weekly(d, weeklyWith("stock_on_hand", 1_000_000_000_000L)),
            1, rowProblem("weekly", "stock_on_hand", "stock_on_hand above 1e9", "A1|DE|2025-03-03",
                "stock_on_hand" + units)),
        new DatasetCase("a black price of 1e-9", d -> weekly(d, weeklyWith("black_price", 1e-9)),
            1, rowProblem("weekly", "black_price", "black_price above 0 but below 1e-6", "A1|DE|2025-03-03",
                "black_price must be at least 1e-6 (prices in the currency's unit, not in thousands or millions of it)")),
        new DatasetCase("a black price of 1e300", d -> weekly(d, weeklyWith("black_price", 1e300)),
            1, rowProblem("weekly", "black_price", "black_price above 1e9", "A1|DE|2025-03-03",
                "black_price must be at most 1e9 per unit (check the currency unit, and sentinel values)")),
        new DatasetCase("a discount in percent (30 for 30 %)", d -> weekly(d, weeklyWith("discount", 30.0)),
            1, rowProblem("weekly", "discount", "discount outside [0, 1)", "A1|DE|2025-03-03",
                "discount must be in [0, 1) (a fraction of the black price: 0.3 is 30 % off)")),
        new DatasetCase("negative units sold", d -> weekly(d, weeklyWith("units_sold", -3L)),
            1, rowProblem("weekly", "units_sold", "negative units_sold", "A1|DE|2025-03-03", "units_sold must be >= 0")),
        new DatasetCase("a week that is not a Monday",
            d -> weekly(d, weeklyWith("week", java.time.LocalDate.of(2025, 3, 5))),
            1, rowProblem("weekly", "week", "a week that is not a Monday", "A1|DE|2025-03-05",
                "weeks are named by the date of their Monday")),
        new DatasetCase("sales of an article not in articles/", d -> weekly(d, weeklyWith("article_id", "A9")),
            1, rowProblem("weekly", "article_id", "an article_id that is not in articles/", "A9|DE|2025-03-03",
                "every article_id must be listed in articles/")),
        new DatasetCase("a row twice", d -> weekly(d, TinyDataset.plus(TinyDataset.weekly(), TinyDataset.weekly().get(0))),
            1, "FATAL    weekly: 1 row has the (article_id, market, week) of an earlier row (in file order) (examples: "
                + "A1|DE|2025-03-03); (article_id, market, week) must be unique" + ROW_FIX),
        new DatasetCase("a market id in Latin-1, not UTF-8", d -> latin1Market(d),
            1, rowProblem("weekly", "market", "a market that is not valid UTF-8 text", "A1|D\uFFFD|2025-03-03",
                "market must be UTF-8 text (re-export the file as UTF-8, e.g. from Latin-1 or a spreadsheet's ANSI)")),
        new DatasetCase("a return before its sale",
            d -> TinyDataset.write(spark, d, "returns", TinyDataset.RETURNS, List.of(RowFactory.create("A1", "DE",
                TinyDataset.W2, TinyDataset.W1, 1L))),
            1, "FATAL    returns.return_week: 1 row has return_week before sale_week (examples: "
                + "A1|DE|2025-03-10|2025-03-03); units cannot come back before the week they were sold in" + ROW_FIX),
        new DatasetCase("a negative residual value",
            d -> TinyDataset.write(spark, d, "residuals", TinyDataset.RESIDUALS,
                List.of(RowFactory.create("A1", "DE", -1.0), RowFactory.create("A2", "DE", 8.0))),
            1, rowProblem("residuals", "residual_value", "negative residual_value", "A1|DE", "residual_value must be >= 0")),
        new DatasetCase("an article listed twice",
            d -> TinyDataset.write(spark, d, "articles", TinyDataset.ARTICLES,
                TinyDataset.plus(TinyDataset.articles(), TinyDataset.articles().get(0))),
            1, "FATAL    articles: 1 row has the article_id of an earlier row (in file order) (examples: A1); "
                + "article_id must be unique" + ROW_FIX),
        new DatasetCase("no weekly/ table", d -> TinyDataset.delete(d.resolve("weekly")), 1, null),
        new DatasetCase("weekly/ without units_sold", d -> withoutUnits(d), 1, null),
        new DatasetCase("units sold as text", d -> textUnits(d), 1, null),
        new DatasetCase("a zero-byte Parquet file", d -> write(d.resolve("weekly/week=2025-03-03/part-empty.parquet"),
            new byte[0]), 1, null),
        new DatasetCase("a truncated Parquet file", d -> truncate(d), 1, null),
        new DatasetCase("a weekly/ table without rows", d -> weekly(d, List.of()), 1, null));
  }

  record DatasetCase(String name, java.util.function.Consumer<Path> change, int problems, String report) {}

  /** Every dataset case (about 2 s each on 2 cores): with {@code mvn -B verify -Pfaults}. */
  @TestFactory
  @Tag("faults")
  Stream<DynamicTest> eachBadDatasetIsRefusedWithItsMessageAndNothingWritten() {
    return refused(datasetCases());
  }

  /** A row rule, an unreadable file and a missing table: the default suite's share of the catalogue. */
  @TestFactory
  Stream<DynamicTest> aBadRowAFileAndATableAreRefusedEndToEnd() {
    return refused(datasetCases().stream().filter(c -> List.of("units sold of Long.MAX_VALUE (a sentinel)",
        "a truncated Parquet file", "no weekly/ table").contains(c.name())).toList());
  }

  static Stream<DynamicTest> refused(List<DatasetCase> cases) {
    return cases.stream().map(c -> DynamicTest.dynamicTest(c.name(), () -> {
      Path root = Files.createTempDirectory(dir, "dataset-");
      Path data = TinyDataset.copy(clean, root.resolve("data"));
      c.change().accept(data);
      Map<String, String> before = listing(root);
      CliTest.Result result = CliTest.cli("validate", "--data", data.toString(), "--master", "local[1]");
      assertThat(result.code()).as(result.out() + result.err()).isEqualTo(2);
      assertThat(result.err()).isEqualTo(cannotUse(data, c.problems()) + "\n");
      if (c.report() != null) {
        assertThat(result.out()).contains(c.report() + "\n");
      }
      assertThat(result.out() + result.err()).doesNotContain("\tat ", "Exception");
      assertThat(listing(root)).as("nothing written or changed").isEqualTo(before);
      System.out.printf("catalogue: %-45s exit %d  %s%n", c.name(), result.code(), firstProblem(result.out()));
    }));
  }

  /** The config, path and option cases of {@code pricepath run} and {@code daily}, refused before any Spark work. */
  static List<Case> runCases() {
    return List.of(
        new Case("a misspelt key in --set", r -> run(r, "--set", "rules.max-discont=0.5"),
            "error: Cannot use --set rules.max-discont=0.5: no setting is called rules.max-discont; did you mean "
                + "rules.max-discount? (every key is listed in conf/local.conf)", null),
        new Case("a misspelt key in the --conf file", r -> run(r, "--conf", conf(r, "pricepath { plan { horizn = 4 } }")),
            null, "no setting is called plan.horizn; did you mean plan.horizon?"),
        new Case("a key outside pricepath { }", r -> run(r, "--conf", conf(r, "plan { horizon = 4 }")),
            null, "its key plan is outside the pricepath { … } block, where every setting goes"),
        new Case("a --conf file that does not parse", r -> run(r, "--conf", conf(r, "pricepath { plan { horizon = ")),
            null, "run.conf: line 1: Expecting a value but got wrong token: end of file"),
        new Case("a --conf file that is not there", r -> run(r, "--conf", r.resolve("nothing.conf").toString()),
            null, "nothing.conf"),
        new Case("a horizon of 0", r -> run(r, "--set", "plan.horizon=0"),
            "error: Cannot use config plan.horizon = 0: must be between 1 and 104 weeks", null),
        new Case("a horizon that is not a number", r -> run(r, "--set", "plan.horizon=four"),
            "error: Cannot use config: plan.horizon has type STRING rather than NUMBER", null),
        new Case("a secret in the Spark settings",
            r -> run(r, "--set", "spark.conf.spark.hadoop.fs.s3a.secret.key=abc"), null, "secret"),
        new Case("--out is a file", r -> new String[] {"run", "--data", dataFolder(r), "--out", file(r, "a-file")},
            null, "it is a file (pass a folder, or a path where one can be made)"),
        new Case("an --overrides file that is not there", r -> run(r, "--overrides", r.resolve("edited.csv").toString()),
            null, "edited.csv: no such file"),
        new Case("--stop-after a step that does not exist", r -> run(r, "--stop-after", "optimise"),
            null, "Cannot stop after step optimise: no such step"),
        new Case("a dataset root that is not there",
            r -> new String[] {"run", "--data", r.resolve("nothing").toString(), "--out", r.resolve("out").toString()},
            null, "no such folder (pass --data with a dataset root"),
        new Case("a plan setting given to the daily run",
            r -> new String[] {"daily", "--data", dataFolder(r), "--weekly", dataFolder(r), "--out",
                r.resolve("out").toString(), "--set", "plan.horizon=4"},
            null, "Cannot use --set plan.horizon=4 with daily:"));
  }

  @TestFactory
  Stream<DynamicTest> eachBadConfigOrPathIsRefusedBeforeAnyWork() {
    return runCases().stream().map(c -> DynamicTest.dynamicTest(c.name(), () -> {
      Path root = Files.createDirectories(dir.resolve("run-" + Integer.toHexString(c.name().hashCode())));
      String[] args = c.args().apply(root);
      Map<String, String> before = listing(root);
      CliTest.Result result = CliTest.cli(args);
      assertThat(result.code()).as(result.out() + result.err()).isEqualTo(2);
      assertThat(result.err()).startsWith("error: Cannot ").doesNotContain("\tat ", "Exception");
      assertThat(result.err().lines().count()).as(result.err()).isEqualTo(1);
      if (c.error() != null) {
        assertThat(result.err()).isEqualTo(c.error() + "\n");
      }
      if (c.report() != null) {
        assertThat(result.err()).contains(c.report());
      }
      assertThat(listing(root)).as("nothing written or changed").isEqualTo(before);
      System.out.printf("catalogue: %-45s exit %d  %s", c.name(), result.code(), result.err());
    }));
  }

  static String[] run(Path root, String... more) {
    List<String> args = new ArrayList<>(List.of("run", "--data", dataFolder(root), "--out",
        root.resolve("out").toString()));
    args.addAll(List.of(more));
    return args.toArray(String[]::new);
  }

  static String dataFolder(Path root) {
    try {
      return Files.createDirectories(root.resolve("data")).toString();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static String conf(Path root, String text) {
    return file(root, "run.conf", text);
  }

  static String file(Path root, String name) {
    return file(root, name, "x");
  }

  static String file(Path root, String name, String text) {
    try {
      return Files.writeString(root.resolve(name), text).toString();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static void write(Path file, byte[] bytes) {
    try {
      Files.write(file, bytes);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Cuts the weekly table's first Parquet file in half, as an interrupted copy leaves it. */
  static void truncate(Path data) {
    try (Stream<Path> files = Files.walk(data.resolve("weekly"))) {
      Path part = files.filter(f -> f.toString().endsWith(".parquet")).sorted().findFirst().orElseThrow();
      byte[] bytes = Files.readAllBytes(part);
      Files.write(part, java.util.Arrays.copyOf(bytes, bytes.length / 2));
      Files.deleteIfExists(part.resolveSibling("." + part.getFileName() + ".crc"));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static void latin1Market(Path data) {
    var frame = spark.createDataFrame(TinyDataset.weekly(), WEEKLY).withColumn("market",
        functions.when(functions.col("article_id").equalTo("A1").and(functions.col("week").equalTo(
                functions.lit(java.sql.Date.valueOf(TinyDataset.W1)))),
            functions.unhex(functions.lit("44FC")).cast("string")).otherwise(functions.col("market")));
    TinyDataset.delete(data.resolve("weekly"));
    frame.coalesce(1).write().partitionBy("week").parquet(data.resolve("weekly").toString());
  }

  static void withoutUnits(Path data) {
    var frame = spark.createDataFrame(TinyDataset.weekly(), WEEKLY).drop("units_sold");
    TinyDataset.delete(data.resolve("weekly"));
    frame.coalesce(1).write().partitionBy("week").parquet(data.resolve("weekly").toString());
  }

  static void textUnits(Path data) {
    StructType text = new StructType().add("article_id", DataTypes.StringType).add("market", DataTypes.StringType)
        .add("black_price", DataTypes.DoubleType).add("discount", DataTypes.DoubleType)
        .add("units_sold", DataTypes.StringType);
    TinyDataset.appendFile(spark, data, "weekly/week=2025-03-17", text,
        List.of(RowFactory.create("A1", "DE", 10.0, 0.0, "seven")), "part-text.parquet");
  }

  /** Every file under {@code root}: its path, size and modification time. */
  static Map<String, String> listing(Path root) throws IOException {
    Map<String, String> files = new TreeMap<>();
    try (Stream<Path> walk = Files.walk(root)) {
      for (Path p : walk.toList()) {
        files.put(root.relativize(p).toString(),
            Files.isDirectory(p) ? "dir" : Files.size(p) + "@" + Files.getLastModifiedTime(p).toMillis());
      }
    }
    return files;
  }

  static String firstProblem(String out) {
    return out.lines().filter(l -> l.startsWith("FATAL")).findFirst().orElse("(no FATAL line)");
  }
}
