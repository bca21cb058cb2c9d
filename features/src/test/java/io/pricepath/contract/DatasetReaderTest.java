package io.pricepath.contract;

import static io.pricepath.contract.TinyDataset.W1;
import static io.pricepath.contract.TinyDataset.W2;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.apache.spark.sql.types.DataTypes.DateType;
import static org.apache.spark.sql.types.DataTypes.DoubleType;
import static org.apache.spark.sql.types.DataTypes.FloatType;
import static org.apache.spark.sql.types.DataTypes.IntegerType;
import static org.apache.spark.sql.types.DataTypes.LongType;
import static org.apache.spark.sql.types.DataTypes.ShortType;
import static org.apache.spark.sql.types.DataTypes.StringType;
import static org.apache.spark.sql.types.DataTypes.TimestampType;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DatasetReaderTest {
  private static SparkSession spark;
  @TempDir static Path shared;
  private static Path clean;
  @TempDir Path dir;

  @BeforeAll
  static void start() {
    spark = SparkSessions.local("DatasetReaderTest", 2, 4);
    clean = TinyDataset.writeClean(spark, shared.resolve("clean"));
  }

  @AfterAll
  static void stop() {
    spark.stop();
  }

  private Path copyOfClean() {
    return TinyDataset.copy(clean, dir.resolve("root"));
  }

  private static Map<String, String> types(Dataset<Row> table) {
    return Arrays.stream(table.schema().fields())
        .collect(
            Collectors.toMap(
                StructField::name,
                f -> f.dataType().simpleString(),
                (a, b) -> a,
                java.util.LinkedHashMap::new));
  }

  @Test
  void readsCleanDatasetWithContractTypes() {
    ContractTables tables = DatasetReader.read(spark, clean.toString());

    assertThat(types(tables.articles()))
        .containsExactly(
            Map.entry("article_id", "string"),
            Map.entry("category", "string"),
            Map.entry("brand", "string"),
            Map.entry("season", "string"),
            Map.entry("unit_cost", "double"),
            Map.entry("first_week", "date"),
            Map.entry("exit_week", "date"),
            Map.entry("x_weight", "double"),
            Map.entry("c_color", "string"));
    assertThat(types(tables.weekly()))
        .containsExactly(
            Map.entry("article_id", "string"),
            Map.entry("market", "string"),
            Map.entry("week", "date"),
            Map.entry("black_price", "double"),
            Map.entry("discount", "double"),
            Map.entry("units_sold", "bigint"),
            Map.entry("stock_on_hand", "bigint"),
            Map.entry("fulfillment_cost", "double"),
            Map.entry("x_promo", "double"));
    assertThat(tables.returns()).isPresent();
    assertThat(types(tables.returns().orElseThrow()))
        .containsExactly(
            Map.entry("article_id", "string"),
            Map.entry("market", "string"),
            Map.entry("sale_week", "date"),
            Map.entry("return_week", "date"),
            Map.entry("units", "bigint"));
    assertThat(tables.residuals().orElseThrow().count()).isEqualTo(2);
    List<Row> weekly =
        tables.weekly().orderBy("week", "article_id").select("article_id", "week", "units_sold")
            .collectAsList();
    assertThat(weekly)
        .extracting(r -> r.getString(0) + "|" + Weeks.toLocalDate(r.get(1)) + "|" + r.getLong(2))
        .containsExactly(
            "A1|2025-03-03|10", "A2|2025-03-03|5", "A1|2025-03-10|12", "A2|2025-03-10|4");
    Row ret = tables.returns().orElseThrow().first();
    assertThat(Weeks.toLocalDate(ret.getAs("return_week"))).isEqualTo(W2);
  }

  @Test
  void acceptsNarrowerTypesTimestampsExtraColumnsAndCarriedPartitionColumn() {
    Path root = copyOfClean();
    StructType articles =
        new StructType()
            .add("article_id", StringType)
            .add("category", StringType)
            .add("first_week", TimestampType)
            .add("unit_cost", FloatType)
            .add("x_size", IntegerType)
            .add("c_fit", IntegerType)
            .add("note", StringType);
    TinyDataset.write(
        spark,
        root,
        "articles",
        articles,
        List.of(
            RowFactory.create("A1", "SHOES", Instant.parse("2025-03-03T00:00:00Z"), 1.1f, 42, 7, "n"),
            RowFactory.create("A2", "BAGS", null, null, null, null, null)));
    StructType weekly =
        new StructType()
            .add("article_id", StringType)
            .add("market", StringType)
            .add("week", DateType)
            .add("black_price", DataTypes.createDecimalType(10, 2))
            .add("discount", FloatType)
            .add("units_sold", IntegerType)
            .add("stock_on_hand", ShortType);
    TinyDataset.delete(root.resolve("weekly"));
    TinyDataset.append(
        spark,
        root,
        "weekly/week=2025-03-03",
        weekly,
        List.of(
            RowFactory.create("A1", "DE", W1, new java.math.BigDecimal("59.99"), 0.3f, 10, (short) 7)));
    TinyDataset.delete(root.resolve("returns"));
    TinyDataset.delete(root.resolve("residuals"));

    ContractTables tables = DatasetReader.read(spark, "file://" + root);

    assertThat(types(tables.articles()))
        .containsExactly(
            Map.entry("article_id", "string"),
            Map.entry("category", "string"),
            Map.entry("brand", "string"),
            Map.entry("season", "string"),
            Map.entry("unit_cost", "double"),
            Map.entry("first_week", "date"),
            Map.entry("exit_week", "date"),
            Map.entry("x_size", "double"),
            Map.entry("c_fit", "string"),
            Map.entry("note", "string"));
    Row a1 = tables.articles().where("article_id = 'A1'").first();
    assertThat(a1.<Double>getAs("unit_cost")).isEqualTo(1.1);
    assertThat(Weeks.toLocalDate(a1.getAs("first_week"))).isEqualTo(W1);
    assertThat(a1.<Double>getAs("x_size")).isEqualTo(42.0);
    assertThat(a1.<String>getAs("c_fit")).isEqualTo("7");
    assertThat(a1.<String>getAs("brand")).isNull();
    Row w = tables.weekly().first();
    assertThat(types(tables.weekly()))
        .containsEntry("units_sold", "bigint")
        .containsEntry("stock_on_hand", "bigint")
        .containsEntry("black_price", "double")
        .containsEntry("fulfillment_cost", "double")
        .containsEntry("week", "date");
    assertThat(w.<Long>getAs("units_sold")).isEqualTo(10L);
    assertThat(w.<Double>getAs("black_price")).isEqualTo(59.99);
    assertThat(w.<Double>getAs("discount")).isEqualTo(0.3);
    assertThat(w.<Double>getAs("fulfillment_cost")).isNull();
    assertThat(Weeks.toLocalDate(w.getAs("week"))).isEqualTo(W1);
    assertThat(tables.returns()).isEmpty();
    assertThat(tables.residuals()).isEmpty();
  }

  @Test
  void readsFilesOfOneTableWithIntAndLongUnits() {
    Path root = copyOfClean();
    StructType ints =
        new StructType()
            .add("article_id", StringType)
            .add("market", StringType)
            .add("black_price", DoubleType)
            .add("discount", DoubleType)
            .add("units_sold", IntegerType);
    TinyDataset.append(
        spark,
        root,
        "weekly/week=2025-03-17",
        ints,
        List.of(RowFactory.create("A1", "FR", 10.0, 0.0, 3)));

    Dataset<Row> weekly = DatasetReader.read(spark, root.toString()).weekly();

    assertThat(weekly.count()).isEqualTo(5);
    Row fr = weekly.where("market = 'FR'").first();
    assertThat(fr.<Long>getAs("units_sold")).isEqualTo(3L);
    assertThat(Weeks.toLocalDate(fr.getAs("week"))).hasToString("2025-03-17");
    assertThat(fr.<Double>getAs("x_promo")).isNull();
  }

  @Test
  void readWithSourceNamesFileRowAndCarriedPartitionValue() {
    Path root = copyOfClean();
    TinyDataset.append(
        spark,
        root,
        "weekly/week=2025-03-17",
        TinyDataset.WEEKLY,
        List.of(RowFactory.create("A1", "FR", W2, 10.0, 0.0, 3L, null, null, null)));

    Dataset<Row> weekly = DatasetReader.readWithSource(spark, root.toString()).weekly();

    Row fr = weekly.where("market = 'FR'").first();
    assertThat(Weeks.toLocalDate(fr.getAs("week"))).hasToString("2025-03-17");
    assertThat(Weeks.toLocalDate(fr.getAs(DatasetReader.SOURCE_PARTITION_VALUE))).isEqualTo(W2);
    assertThat(fr.<String>getAs(DatasetReader.SOURCE_FILE))
        .startsWith("file:" + root + "/weekly/week=2025-03-17/part-");
    assertThat(fr.<Long>getAs(DatasetReader.SOURCE_ROW)).isZero();
    Row de = weekly.where("market = 'DE'").first();
    assertThat(de.<Object>getAs(DatasetReader.SOURCE_PARTITION_VALUE)).isNull();
  }

  @Test
  void missingWeeklyTableIsNamedWithTheExpectedLayout() {
    Path root = copyOfClean();
    TinyDataset.delete(root.resolve("weekly"));

    assertThatThrownBy(() -> DatasetReader.read(spark, root.toString()))
        .isInstanceOf(InvalidDatasetException.class)
        .hasMessage(
            "Cannot read dataset %s: table weekly/ is missing (expected Parquet files under %s/weekly, partitioned by week=YYYY-MM-DD)",
            root, root);
  }

  @Test
  void missingRootIsNamed() {
    Path root = dir.resolve("nowhere");

    assertThatThrownBy(() -> DatasetReader.read(spark, root.toString()))
        .isInstanceOf(InvalidDatasetException.class)
        .hasMessage(
            "Cannot read dataset %s: the folder does not exist (expected a dataset root holding articles/ and weekly/ folders of Parquet files)",
            root);
  }

  @Test
  void corruptFileIsNamed() throws IOException {
    Path root = copyOfClean();
    Path junk = root.resolve("weekly/week=2025-03-03/part-junk.parquet");
    Files.write(junk, "this is not parquet at all".getBytes());

    assertThatThrownBy(() -> DatasetReader.read(spark, root.toString()))
        .isInstanceOf(InvalidDatasetException.class)
        .hasMessage(
            "Cannot read dataset %s: weekly/: 1 file cannot be read as Parquet: file:%s (not a Parquet file. Expected magic number at tail, but found [32, 97, 108, 108]); rewrite or remove it",
            root, junk)
        .satisfies(
            e ->
                assertThat(((InvalidDatasetException) e).issues())
                    .singleElement()
                    .satisfies(
                        i -> {
                          assertThat(i.rule()).isEqualTo("unreadable_file");
                          assertThat(i.examples()).containsExactly("file:" + junk);
                        }));
  }

  @Test
  void missingColumnsAndWrongTypesAreAllListed() {
    Path root = copyOfClean();
    StructType articles =
        new StructType()
            .add("article_id", StringType)
            .add("unit_cost", StringType)
            .add("x_score", StringType);
    TinyDataset.write(
        spark, root, "articles", articles, List.of(RowFactory.create("A1", "cheap", "high")));
    Path articleFile = firstParquet(root.resolve("articles"));

    assertThatThrownBy(() -> DatasetReader.read(spark, root.toString()))
        .isInstanceOf(InvalidDatasetException.class)
        .hasMessage(
            "Cannot read dataset %s: 3 problems\n"
                + "  - articles.category: column is missing (expected a string, never null, in the Parquet files under %s/articles)\n"
                + "  - articles.unit_cost: column has type string in 1 of 1 file (examples: file:%s); expected a number (double, float, decimal or integer) — rewrite these files with the contract's types\n"
                + "  - articles.x_score: column has type string in 1 of 1 file (examples: file:%s); expected a number (double, float, decimal or integer) — rewrite these files with the contract's types",
            root, root, articleFile, articleFile);
  }

  @Test
  void weeklyFileOutsideWeekFolderIsNamed() {
    Path root = copyOfClean();
    TinyDataset.append(spark, root, "weekly/extra", TinyDataset.WEEKLY, TinyDataset.weekly());
    Path stray = firstParquet(root.resolve("weekly/extra"));

    assertThatThrownBy(() -> DatasetReader.read(spark, root.toString()))
        .isInstanceOf(InvalidDatasetException.class)
        .hasMessage(
            "Cannot read dataset %s: weekly/: 1 file is not inside a week=YYYY-MM-DD folder (examples: file:%s); expected Parquet files under %s/weekly, partitioned by week=YYYY-MM-DD",
            root, stray, root);
  }

  private static Path firstParquet(Path folder) {
    try (var files = Files.walk(folder)) {
      return files
          .filter(p -> p.getFileName().toString().endsWith(".parquet"))
          .findFirst()
          .orElseThrow();
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

}
