package io.pricepath.contract;

import static org.apache.spark.sql.types.DataTypes.DateType;
import static org.apache.spark.sql.types.DataTypes.DoubleType;
import static org.apache.spark.sql.types.DataTypes.LongType;
import static org.apache.spark.sql.types.DataTypes.StringType;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.StructType;

/**
 * A tiny dataset root that follows the data contract: 2 articles, 2 weeks in market DE, one
 * return, two residual values. Tests write it, or a copy with one table replaced by a bad variant.
 */
public final class TinyDataset {
  private TinyDataset() {}

  public static final LocalDate W1 = LocalDate.of(2025, 3, 3);
  public static final LocalDate W2 = LocalDate.of(2025, 3, 10);

  public static final StructType ARTICLES =
      new StructType()
          .add("article_id", StringType)
          .add("category", StringType)
          .add("brand", StringType)
          .add("season", StringType)
          .add("unit_cost", DoubleType)
          .add("first_week", DateType)
          .add("exit_week", DateType)
          .add("x_weight", DoubleType)
          .add("c_color", StringType);

  public static final StructType WEEKLY =
      new StructType()
          .add("article_id", StringType)
          .add("market", StringType)
          .add("week", DateType)
          .add("black_price", DoubleType)
          .add("discount", DoubleType)
          .add("units_sold", LongType)
          .add("stock_on_hand", LongType)
          .add("fulfillment_cost", DoubleType)
          .add("x_promo", DoubleType);

  public static final StructType RETURNS =
      new StructType()
          .add("article_id", StringType)
          .add("market", StringType)
          .add("sale_week", DateType)
          .add("return_week", DateType)
          .add("units", LongType);

  public static final StructType RESIDUALS =
      new StructType()
          .add("article_id", StringType)
          .add("market", StringType)
          .add("residual_value", DoubleType);

  public static List<Row> articles() {
    return List.of(
        RowFactory.create("A1", "SHOES", "acme", "2025-SS", 12.5, W1, W2, 0.4, "red"),
        RowFactory.create("A2", "BAGS", null, null, 20.0, W1, W2, 1.2, null));
  }

  /** Rows 0..3: A1|DE|W1, A2|DE|W1, A1|DE|W2, A2|DE|W2. */
  public static List<Row> weekly() {
    return List.of(
        RowFactory.create("A1", "DE", W1, 59.99, 0.0, 10L, 100L, 25.0, 0.0),
        RowFactory.create("A2", "DE", W1, 39.99, 0.1, 5L, 50L, 12.0, 1.0),
        RowFactory.create("A1", "DE", W2, 59.99, 0.2, 12L, 90L, 30.0, 0.0),
        RowFactory.create("A2", "DE", W2, 39.99, 0.3, 4L, 45L, 10.0, 0.0));
  }

  public static List<Row> returns() {
    return List.of(RowFactory.create("A1", "DE", W1, W2, 2L));
  }

  public static List<Row> residuals() {
    return List.of(RowFactory.create("A1", "DE", 5.0), RowFactory.create("A2", "DE", 8.0));
  }

  /** Writes all four tables under {@code root}. */
  public static Path writeClean(SparkSession spark, Path root) {
    write(spark, root, "articles", ARTICLES, articles());
    write(spark, root, "weekly", WEEKLY, weekly());
    write(spark, root, "returns", RETURNS, returns());
    write(spark, root, "residuals", RESIDUALS, residuals());
    return root;
  }

  /**
   * Replaces {@code root/table} by {@code rows}, one file per partition, partitioned as the
   * contract lays the table out ({@code weekly} by week, {@code returns} by return_week).
   */
  public static void write(
      SparkSession spark, Path root, String table, StructType schema, List<Row> rows) {
    delete(root.resolve(table));
    Dataset<Row> frame = spark.createDataFrame(rows, schema).coalesce(1);
    String path = root.resolve(table).toString();
    switch (table) {
      case "weekly" -> frame.write().partitionBy("week").parquet(path);
      case "returns" -> frame.write().partitionBy("return_week").parquet(path);
      default -> frame.write().parquet(path);
    }
  }

  /** Adds {@code rows} as one more file in folder {@code root/relativeFolder}, as they are. */
  public static void append(
      SparkSession spark, Path root, String relativeFolder, StructType schema, List<Row> rows) {
    spark
        .createDataFrame(rows, schema)
        .coalesce(1)
        .write()
        .mode("append")
        .parquet(root.resolve(relativeFolder).toString());
  }

  /**
   * Adds {@code rows} as one file named {@code fileName} in folder {@code root/relativeFolder}, as
   * they are (any partition column stays in the file). Named files sort predictably: Spark's own
   * part files come before {@code zz-…}.
   */
  public static Path appendFile(
      SparkSession spark,
      Path root,
      String relativeFolder,
      StructType schema,
      List<Row> rows,
      String fileName) {
    Path staging = root.resolveSibling(root.getFileName() + "-staging-" + System.nanoTime());
    spark.createDataFrame(rows, schema).coalesce(1).write().parquet(staging.toString());
    try (Stream<Path> files = Files.list(staging)) {
      Path part =
          files
              .filter(f -> f.getFileName().toString().endsWith(".parquet"))
              .findFirst()
              .orElseThrow();
      Path target = root.resolve(relativeFolder).resolve(fileName);
      Files.createDirectories(target.getParent());
      Files.move(part, target);
      delete(staging);
      return target;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** {@code row} with columns set: {@code column, value, column, value, …}. */
  public static Row with(Row row, StructType schema, Object... columnsAndValues) {
    if (columnsAndValues.length % 2 != 0) {
      throw new IllegalArgumentException("columns and values must come in pairs");
    }
    Object[] values = new Object[row.size()];
    for (int i = 0; i < values.length; i++) {
      values[i] = row.get(i);
    }
    for (int i = 0; i < columnsAndValues.length; i += 2) {
      values[schema.fieldIndex((String) columnsAndValues[i])] = columnsAndValues[i + 1];
    }
    return RowFactory.create(values);
  }

  /** {@code rows} with row {@code index}'s {@code column} set to {@code value}. */
  public static List<Row> with(
      List<Row> rows, StructType schema, int index, String column, Object value) {
    List<Row> changed = new ArrayList<>(rows);
    changed.set(index, with(rows.get(index), schema, new Object[] {column, value}));
    return changed;
  }

  /** {@code rows} and then {@code more}. */
  public static List<Row> plus(List<Row> rows, Row... more) {
    List<Row> all = new ArrayList<>(rows);
    all.addAll(List.of(more));
    return all;
  }

  /** Copies a dataset root (or any folder) to {@code to}. */
  public static Path copy(Path from, Path to) {
    try (Stream<Path> files = Files.walk(from)) {
      for (Path source : files.toList()) {
        Path target = to.resolve(from.relativize(source).toString());
        if (Files.isDirectory(source)) {
          Files.createDirectories(target);
        } else {
          Files.copy(source, target);
        }
      }
      return to;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Deletes a folder and everything under it, if it exists. */
  public static void delete(Path folder) {
    if (!Files.exists(folder)) {
      return;
    }
    try (Stream<Path> files = Files.walk(folder)) {
      for (Path path : files.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(path);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
