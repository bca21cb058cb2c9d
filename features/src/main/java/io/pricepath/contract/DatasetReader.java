package io.pricepath.contract;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.regexp_extract;
import static org.apache.spark.sql.functions.to_date;

import io.pricepath.contract.InvalidDatasetException.Issue;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.LocatedFileStatus;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.RemoteIterator;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.hadoop.util.HadoopInputFile;
import org.apache.spark.sql.AnalysisException;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.execution.datasources.parquet.ParquetToSparkSchemaConverter;
import org.apache.spark.sql.internal.SQLConf;
import org.apache.spark.sql.types.BooleanType;
import org.apache.spark.sql.types.ByteType;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.DateType;
import org.apache.spark.sql.types.DecimalType;
import org.apache.spark.sql.types.DoubleType;
import org.apache.spark.sql.types.FloatType;
import org.apache.spark.sql.types.IntegerType;
import org.apache.spark.sql.types.LongType;
import org.apache.spark.sql.types.ShortType;
import org.apache.spark.sql.types.StringType;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.sql.types.TimestampNTZType;
import org.apache.spark.sql.types.TimestampType;

/**
 * Reads a dataset root laid out as the data contract (v1) describes: {@code articles/}
 * (unpartitioned), {@code weekly/} (partitioned by {@code week=YYYY-MM-DD}), and the optional
 * {@code returns/} (partitioned by {@code return_week=YYYY-MM-DD}) and {@code residuals/}.
 *
 * <p>Any dataset that follows the contract is accepted: extra columns ({@code c_*}, {@code x_*}
 * and others), integer types of any width where a long is asked for, float, decimal or integer
 * columns where a double is asked for, DATE or TIMESTAMP columns for weeks, files that also carry
 * their partition column, files whose schemas differ in these ways within one table. Nullable
 * contract columns may be absent; they are then read as null. The tables returned have the
 * contract's types: identifiers and categorical columns ({@code c_*}) are strings, units longs,
 * money, discounts and {@code x_*} doubles, weeks DATEs; the partition column is taken from the
 * folder name. Other extra columns are kept as they are.
 *
 * <p>What it checks is the structure only (tables, columns, types, readable files); rows are
 * checked by {@code io.pricepath.validate.DatasetValidator}. Any structural problem is reported in
 * one {@link InvalidDatasetException} that names every table, column and file at fault.
 */
public final class DatasetReader {
  /** Added by {@link #readWithSource}: the file a row was read from (a URI string). */
  public static final String SOURCE_FILE = "_source_file";

  /** Added by {@link #readWithSource}: the row's position within its file, from 0. */
  public static final String SOURCE_ROW = "_source_row";

  /**
   * Added by {@link #readWithSource} to partitioned tables: the value (DATE) of the partition
   * column as the file itself carries it, or null when the file does not carry that column. The
   * contract requires it to equal the folder's value, which is what the partition column holds.
   */
  public static final String SOURCE_PARTITION_VALUE = "_source_partition_value";

  private static final int MAX_EXAMPLES = 5;
  private static final int FOOTER_THREADS = 16;
  private static final int MAX_REASON_LENGTH = 160;

  private DatasetReader() {}

  /** The contract's column kinds and the Spark type each is cast to. */
  enum Kind {
    STRING("a string", DataTypes.StringType),
    LONG("an integer (int or long)", DataTypes.LongType),
    DOUBLE("a number (double, float, decimal or integer)", DataTypes.DoubleType),
    DATE("a date (DATE or TIMESTAMP)", DataTypes.DateType),
    BOOLEAN("a boolean", DataTypes.BooleanType);

    final String description;
    final DataType sparkType;

    Kind(String description, DataType sparkType) {
      this.description = description;
      this.sparkType = sparkType;
    }
  }

  record ColumnSpec(String name, Kind kind, boolean nullable) {}

  /**
   * One table of the contract: its columns, its partition column (null when unpartitioned), the
   * prefixes of extra columns whose kind the contract fixes, and the optional extra columns whose
   * kind it fixes by name (checked and cast when present, not added when absent).
   */
  record TableSpec(
      String name,
      boolean required,
      String partitionColumn,
      List<ColumnSpec> columns,
      Map<String, Kind> prefixes,
      Map<String, Kind> namedExtras) {

    TableSpec(String name, boolean required, String partitionColumn, List<ColumnSpec> columns,
        Map<String, Kind> prefixes) {
      this(name, required, partitionColumn, columns, prefixes, Map.of());
    }

    String layout(String root) {
      String where = root + "/" + name;
      return partitionColumn == null
          ? "expected Parquet files under " + where
          : "expected Parquet files under %s, partitioned by %s=YYYY-MM-DD"
              .formatted(where, partitionColumn);
    }
  }

  static final TableSpec ARTICLES_SPEC =
      new TableSpec(
          Columns.ARTICLES,
          true,
          null,
          List.of(
              new ColumnSpec(Columns.ARTICLE_ID, Kind.STRING, false),
              new ColumnSpec(Columns.CATEGORY, Kind.STRING, false),
              new ColumnSpec(Columns.BRAND, Kind.STRING, true),
              new ColumnSpec(Columns.SEASON, Kind.STRING, true),
              new ColumnSpec(Columns.UNIT_COST, Kind.DOUBLE, true),
              new ColumnSpec(Columns.FIRST_WEEK, Kind.DATE, true),
              new ColumnSpec(Columns.EXIT_WEEK, Kind.DATE, true)),
          Map.of(Columns.CATEGORICAL_PREFIX, Kind.STRING, Columns.NUMERIC_PREFIX, Kind.DOUBLE),
          Map.of(
              Columns.RULE_MIN_DISCOUNT, Kind.DOUBLE,
              Columns.RULE_MAX_DISCOUNT, Kind.DOUBLE,
              Columns.RULE_MAX_CHANGES, Kind.LONG,
              Columns.RULE_MAX_STEPS_PER_WEEK, Kind.LONG,
              Columns.RULE_MARKDOWN_ONLY, Kind.BOOLEAN,
              Columns.RULE_NO_TOUCH_UNTIL, Kind.DATE,
              Columns.RULE_LOCKED_DISCOUNT, Kind.DOUBLE));

  static final TableSpec WEEKLY_SPEC =
      new TableSpec(
          Columns.WEEKLY,
          true,
          Columns.WEEK,
          List.of(
              new ColumnSpec(Columns.ARTICLE_ID, Kind.STRING, false),
              new ColumnSpec(Columns.MARKET, Kind.STRING, false),
              new ColumnSpec(Columns.WEEK, Kind.DATE, false),
              new ColumnSpec(Columns.BLACK_PRICE, Kind.DOUBLE, false),
              new ColumnSpec(Columns.DISCOUNT, Kind.DOUBLE, false),
              new ColumnSpec(Columns.UNITS_SOLD, Kind.LONG, false),
              new ColumnSpec(Columns.STOCK_ON_HAND, Kind.LONG, true),
              new ColumnSpec(Columns.FULFILLMENT_COST, Kind.DOUBLE, true)),
          Map.of(Columns.NUMERIC_PREFIX, Kind.DOUBLE));

  static final TableSpec RETURNS_SPEC =
      new TableSpec(
          Columns.RETURNS,
          false,
          Columns.RETURN_WEEK,
          List.of(
              new ColumnSpec(Columns.ARTICLE_ID, Kind.STRING, false),
              new ColumnSpec(Columns.MARKET, Kind.STRING, false),
              new ColumnSpec(Columns.SALE_WEEK, Kind.DATE, false),
              new ColumnSpec(Columns.RETURN_WEEK, Kind.DATE, false),
              new ColumnSpec(Columns.UNITS, Kind.LONG, false)),
          Map.of());

  static final TableSpec RESIDUALS_SPEC =
      new TableSpec(
          Columns.RESIDUALS,
          false,
          null,
          List.of(
              new ColumnSpec(Columns.ARTICLE_ID, Kind.STRING, false),
              new ColumnSpec(Columns.MARKET, Kind.STRING, false),
              new ColumnSpec(Columns.RESIDUAL_VALUE, Kind.DOUBLE, false)),
          Map.of());

  /**
   * The tables of the dataset at {@code root} (a local path, {@code file://…} or {@code
   * s3a://…}), cast to the contract's types. Reading is lazy apart from listing the files and
   * reading their Parquet footers.
   *
   * @throws InvalidDatasetException when a mandatory table or column is missing, a column has a
   *     type the contract cannot take, a partitioned table has files outside its {@code
   *     col=YYYY-MM-DD} folders, or a file cannot be read as Parquet
   */
  public static ContractTables read(SparkSession spark, String root) {
    ContractTables traced = readWithSource(spark, root);
    return new ContractTables(
        traced.root(),
        dropSource(traced.articles()),
        dropSource(traced.weekly()),
        traced.returns().map(DatasetReader::dropSource),
        traced.residuals().map(DatasetReader::dropSource));
  }

  /**
   * As {@link #read}, with each row also naming where it came from: {@link #SOURCE_FILE}, {@link
   * #SOURCE_ROW} and, for {@code weekly} and {@code returns}, {@link #SOURCE_PARTITION_VALUE}.
   * For checks and reports that must point at the file at fault.
   *
   * @throws InvalidDatasetException as {@link #read} does
   */
  public static ContractTables readWithSource(SparkSession spark, String root) {
    Objects.requireNonNull(spark, "spark");
    Objects.requireNonNull(root, "root");
    String shownRoot = root.endsWith("/") && root.length() > 1 ? root.replaceAll("/+$", "") : root;
    Configuration conf = spark.sparkContext().hadoopConfiguration();
    Path rootPath;
    FileSystem fs;
    try {
      rootPath = new Path(shownRoot);
      fs = rootPath.getFileSystem(conf);
      if (!fs.exists(rootPath)) {
        throw new InvalidDatasetException(
            root,
            List.of(
                new Issue(
                    "(root)",
                    null,
                    "missing_root",
                    0,
                    List.of(),
                    "the folder does not exist (expected a dataset root holding articles/ and"
                        + " weekly/ folders of Parquet files)")));
      }
    } catch (IOException | IllegalArgumentException e) {
      throw new InvalidDatasetException(
          root,
          List.of(
              new Issue(
                  "(root)",
                  null,
                  "unreadable_root",
                  0,
                  List.of(),
                  "the folder cannot be listed (%s)".formatted(reason(e)))));
    }

    List<Issue> issues = new ArrayList<>();
    Map<String, Optional<Dataset<Row>>> tables = new LinkedHashMap<>();
    for (TableSpec spec : List.of(ARTICLES_SPEC, WEEKLY_SPEC, RETURNS_SPEC, RESIDUALS_SPEC)) {
      TableReader reader = new TableReader(spark, fs, rootPath, shownRoot, spec);
      tables.put(spec.name(), reader.read());
      issues.addAll(reader.issues);
    }
    if (!issues.isEmpty()) {
      throw new InvalidDatasetException(root, issues);
    }
    return new ContractTables(
        root,
        tables.get(Columns.ARTICLES).orElseThrow(),
        tables.get(Columns.WEEKLY).orElseThrow(),
        tables.get(Columns.RETURNS),
        tables.get(Columns.RESIDUALS));
  }

  private static Dataset<Row> dropSource(Dataset<Row> table) {
    return table.drop(SOURCE_FILE, SOURCE_ROW, SOURCE_PARTITION_VALUE);
  }

  /** A short, single-line reason from an exception and its causes. */
  static String reason(Throwable error) {
    return reason(error, List.of());
  }

  /** As {@link #reason(Throwable)}, with the names in {@code drop} removed from the text. */
  static String reason(Throwable error, List<String> drop) {
    Throwable deepest = error;
    String text = null;
    for (Throwable t = error; t != null; t = t.getCause()) {
      if (t.getMessage() != null && !t.getMessage().isBlank()) {
        text = t.getMessage();
        deepest = t;
      }
    }
    if (text == null) {
      return deepest.getClass().getSimpleName();
    }
    String line = text.strip().lines().findFirst().orElse(text).strip();
    for (String name : drop) {
      line = line.replace(name + " ", "");
    }
    line = line.startsWith("is ") ? line.substring(3) : line;
    return line.length() <= MAX_REASON_LENGTH ? line : line.substring(0, MAX_REASON_LENGTH) + "…";
  }

  static String examples(List<String> items, long count) {
    List<String> shown = items.subList(0, Math.min(MAX_EXAMPLES, items.size()));
    return String.join(", ", shown) + (count > shown.size() ? ", …" : "");
  }

  private static String files(long count) {
    return count == 1 ? "1 file" : count + " files";
  }

  /** A file's schema as its footer states it, or why the footer cannot be read. */
  private record Footer(String path, String relative, StructType schema, String error) {}

  /** Reads one table: lists its files, reads their footers, checks and casts their columns. */
  private static final class TableReader {
    private final SparkSession spark;
    private final FileSystem fs;
    private final Path dir;
    private final String shownRoot;
    private final String shownDir;
    private final TableSpec spec;
    private final List<Issue> issues = new ArrayList<>();

    TableReader(SparkSession spark, FileSystem fs, Path rootPath, String shownRoot, TableSpec spec) {
      this.spark = spark;
      this.fs = fs;
      this.dir = new Path(rootPath, spec.name());
      this.shownRoot = shownRoot;
      this.shownDir = shownRoot + "/" + spec.name();
      this.spec = spec;
    }

    Optional<Dataset<Row>> read() {
      List<FileStatus> files;
      try {
        if (!fs.exists(dir) || !fs.getFileStatus(dir).isDirectory()) {
          if (spec.required()) {
            tableIssue(
                "missing_table",
                "table %s/ is missing (%s)".formatted(spec.name(), spec.layout(shownRoot)));
          }
          return Optional.empty();
        }
        files = listDataFiles();
      } catch (IOException e) {
        tableIssue(
            "unreadable_table",
            "table %s/ cannot be listed (%s; %s)"
                .formatted(spec.name(), reason(e), spec.layout(shownRoot)));
        return Optional.empty();
      }
      if (files.isEmpty()) {
        if (spec.required()) {
          tableIssue(
              "empty_table",
              "table %s/ has no data files (%s)".formatted(spec.name(), spec.layout(shownRoot)));
        }
        return Optional.empty();
      }
      List<Footer> footers = readFooters(files);
      checkReadable(footers);
      List<Footer> readable = footers.stream().filter(f -> f.error() == null).toList();
      boolean inFolders = checkPartitionFolders(readable);
      Map<StructType, List<Footer>> groups = new LinkedHashMap<>();
      for (Footer footer : readable) {
        groups.computeIfAbsent(footer.schema(), s -> new ArrayList<>()).add(footer);
      }
      checkColumns(groups, readable.size());
      if (!issues.isEmpty() || !inFolders) {
        return Optional.empty();
      }
      try {
        Dataset<Row> table = null;
        for (Map.Entry<StructType, List<Footer>> group : groups.entrySet()) {
          Dataset<Row> part = readGroup(group.getKey(), group.getValue(), groups.size() == 1);
          table = table == null ? part : table.unionByName(part, true);
        }
        return Optional.of(ordered(table));
      } catch (Exception e) {
        if (!(e instanceof AnalysisException)) {
          throw e;
        }
        tableIssue(
            "incompatible_columns",
            "%s/: files disagree on the type of a column (%s); rewrite them with one type per"
                .formatted(spec.name(), reason(e))
                + " column");
        return Optional.empty();
      }
    }

    private void tableIssue(String rule, String message) {
      issues.add(new Issue(spec.name(), null, rule, 0, List.of(), message));
    }

    /** Data files as Spark sees them: hidden names ({@code _*}, {@code .*}) left out. */
    private List<FileStatus> listDataFiles() throws IOException {
      String base = fs.makeQualified(dir).toUri().getPath();
      List<FileStatus> files = new ArrayList<>();
      RemoteIterator<LocatedFileStatus> it = fs.listFiles(dir, true);
      while (it.hasNext()) {
        LocatedFileStatus status = it.next();
        String path = status.getPath().toUri().getPath();
        String relative = path.startsWith(base) ? path.substring(base.length()) : path;
        boolean hidden = false;
        for (String part : relative.split("/")) {
          if ((part.startsWith("_") && !part.contains("="))
              || part.startsWith(".")
              || part.endsWith("._COPYING_")) {
            hidden = true;
            break;
          }
        }
        if (!hidden) {
          files.add(status);
        }
      }
      files.sort((a, b) -> a.getPath().toString().compareTo(b.getPath().toString()));
      return files;
    }

    private List<Footer> readFooters(List<FileStatus> files) {
      Configuration conf = spark.sparkContext().hadoopConfiguration();
      SQLConf sqlConf = spark.sessionState().conf();
      String base = fs.makeQualified(dir).toUri().getPath();
      ExecutorService pool =
          Executors.newFixedThreadPool(
              Math.min(FOOTER_THREADS, files.size()),
              runnable -> {
                Thread thread = new Thread(runnable, "pricepath-footer-reader");
                thread.setDaemon(true);
                return thread;
              });
      try {
        List<Future<Footer>> futures = new ArrayList<>();
        for (FileStatus status : files) {
          futures.add(pool.submit(() -> readFooter(status, base, conf, sqlConf)));
        }
        List<Footer> footers = new ArrayList<>();
        for (Future<Footer> future : futures) {
          footers.add(future.get());
        }
        return footers;
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while reading Parquet footers", e);
      } catch (ExecutionException e) {
        throw new IllegalStateException("cannot read Parquet footers", e.getCause());
      } finally {
        pool.shutdownNow();
      }
    }

    private static Footer readFooter(
        FileStatus status, String base, Configuration conf, SQLConf sqlConf) {
      String path = status.getPath().toString();
      String full = status.getPath().toUri().getPath();
      String relative = full.startsWith(base) ? full.substring(base.length()) : full;
      try (ParquetFileReader reader =
          ParquetFileReader.open(HadoopInputFile.fromStatus(status, conf))) {
        StructType schema =
            new ParquetToSparkSchemaConverter(sqlConf)
                .convert(reader.getFooter().getFileMetaData().getSchema());
        return new Footer(path, relative, schema, null);
      } catch (FileNotFoundException e) {
        return new Footer(path, relative, null, "the file disappeared while reading");
      } catch (IOException | RuntimeException e) {
        // Parquet starts its messages with the file's path, which the issue names already
        return new Footer(path, relative, null, reason(e, List.of(path, full)));
      }
    }

    private void checkReadable(List<Footer> footers) {
      List<Footer> broken = footers.stream().filter(f -> f.error() != null).toList();
      if (broken.isEmpty()) {
        return;
      }
      List<String> shown =
          broken.stream().map(f -> "%s (%s)".formatted(f.path(), f.error())).toList();
      issues.add(
          new Issue(
              spec.name(),
              null,
              "unreadable_file",
              broken.size(),
              broken.stream().limit(MAX_EXAMPLES).map(Footer::path).toList(),
              "%s/: %s cannot be read as Parquet: %s; rewrite or remove %s"
                  .formatted(
                      spec.name(),
                      files(broken.size()),
                      examples(shown, broken.size()),
                      broken.size() == 1 ? "it" : "them")));
    }

    /** Whether every file lies in a {@code col=YYYY-MM-DD} folder; adds an issue if not. */
    private boolean checkPartitionFolders(List<Footer> footers) {
      if (spec.partitionColumn() == null) {
        return true;
      }
      Pattern folder = Pattern.compile("(?:^|/)" + Pattern.quote(spec.partitionColumn()) + "=([^/]*)/");
      List<String> outside = new ArrayList<>();
      for (Footer footer : footers) {
        Matcher matcher = folder.matcher(footer.relative());
        LocalDate value = null;
        if (matcher.find()) {
          String text = matcher.group(1);
          try {
            value = text.length() == 10 ? LocalDate.parse(text) : null;
          } catch (DateTimeParseException e) {
            value = null;
          }
        }
        if (value == null) {
          outside.add(footer.path());
        }
      }
      if (outside.isEmpty()) {
        return true;
      }
      issues.add(
          new Issue(
              spec.name(),
              spec.partitionColumn(),
              "outside_partition_folder",
              outside.size(),
              outside.stream().limit(MAX_EXAMPLES).toList(),
              "%s/: %s %s not inside a %s=YYYY-MM-DD folder (examples: %s); %s"
                  .formatted(
                      spec.name(),
                      files(outside.size()),
                      outside.size() == 1 ? "is" : "are",
                      spec.partitionColumn(),
                      examples(outside, outside.size()),
                      spec.layout(shownRoot))));
      return false;
    }

    private void checkColumns(Map<StructType, List<Footer>> groups, int fileCount) {
      Map<String, List<String>> missing = new LinkedHashMap<>();
      Map<String, Map<String, List<String>>> wrongTypes = new LinkedHashMap<>();
      Map<String, Kind> wrongKinds = new LinkedHashMap<>();
      for (Map.Entry<StructType, List<Footer>> group : groups.entrySet()) {
        Map<String, StructField> fields = byLowerName(group.getKey());
        List<String> paths = group.getValue().stream().map(Footer::path).toList();
        for (ColumnSpec column : spec.columns()) {
          StructField field = fields.get(column.name());
          if (field == null) {
            boolean fromFolder = column.name().equals(spec.partitionColumn());
            if (!column.nullable() && !fromFolder) {
              missing.computeIfAbsent(column.name(), c -> new ArrayList<>()).addAll(paths);
            }
          } else if (!accepts(column.kind(), field.dataType())) {
            wrongKinds.put(column.name(), column.kind());
            wrongTypes
                .computeIfAbsent(column.name(), c -> new LinkedHashMap<>())
                .computeIfAbsent(field.dataType().simpleString(), t -> new ArrayList<>())
                .addAll(paths);
          }
        }
        for (StructField field : group.getKey().fields()) {
          Kind kind = prefixKind(field.name());
          boolean named = spec.namedExtras().containsKey(field.name().toLowerCase(Locale.ROOT));
          if (kind != null && !(named ? accepts(kind, field.dataType()) : acceptsExtra(kind, field.dataType()))) {
            String name = field.name();
            wrongKinds.put(name, kind);
            wrongTypes
                .computeIfAbsent(name, c -> new LinkedHashMap<>())
                .computeIfAbsent(field.dataType().simpleString(), t -> new ArrayList<>())
                .addAll(paths);
          }
        }
      }
      for (Map.Entry<String, List<String>> entry : missing.entrySet()) {
        String column = entry.getKey();
        List<String> paths = entry.getValue();
        Kind kind = kindOf(column);
        String message =
            paths.size() == fileCount
                ? "%s.%s: column is missing (expected %s, never null, in the Parquet files under %s)"
                    .formatted(spec.name(), column, kind.description, shownDir)
                : "%s.%s: column is missing from %d of %s (examples: %s); every file under %s must carry it"
                    .formatted(
                        spec.name(),
                        column,
                        paths.size(),
                        files(fileCount),
                        examples(paths, paths.size()),
                        shownDir);
        issues.add(
            new Issue(
                spec.name(),
                column,
                "missing_column",
                paths.size(),
                paths.stream().limit(MAX_EXAMPLES).toList(),
                message));
      }
      for (Map.Entry<String, Map<String, List<String>>> entry : wrongTypes.entrySet()) {
        String column = entry.getKey();
        List<String> paths = entry.getValue().values().stream().flatMap(List::stream).toList();
        String types = String.join(", ", entry.getValue().keySet());
        issues.add(
            new Issue(
                spec.name(),
                column,
                "wrong_type",
                paths.size(),
                paths.stream().limit(MAX_EXAMPLES).toList(),
                "%s.%s: column has type %s in %d of %s (examples: %s); expected %s — rewrite these files with the contract's types"
                    .formatted(
                        spec.name(),
                        column,
                        types,
                        paths.size(),
                        files(fileCount),
                        examples(paths, paths.size()),
                        wrongKinds.get(column).description)));
      }
    }

    private Kind kindOf(String column) {
      return spec.columns().stream()
          .filter(c -> c.name().equals(column))
          .map(ColumnSpec::kind)
          .findFirst()
          .orElseGet(() -> prefixKind(column));
    }

    private Kind prefixKind(String name) {
      String lower = name.toLowerCase(Locale.ROOT);
      if (spec.columns().stream().anyMatch(c -> c.name().equals(lower))) {
        return null;
      }
      if (spec.namedExtras().containsKey(lower)) {
        return spec.namedExtras().get(lower);
      }
      for (Map.Entry<String, Kind> prefix : spec.prefixes().entrySet()) {
        if (lower.startsWith(prefix.getKey())) {
          return prefix.getValue();
        }
      }
      return null;
    }

    private Dataset<Row> readGroup(StructType schema, List<Footer> footers, boolean wholeFolder) {
      String[] paths =
          wholeFolder
              ? new String[] {dir.toString()}
              : footers.stream().map(Footer::path).toArray(String[]::new);
      Dataset<Row> raw = spark.read().option("recursiveFileLookup", "true").parquet(paths);
      Map<String, StructField> fields = byLowerName(schema);
      Column filePath = col("_metadata.file_path");
      List<Column> columns = new ArrayList<>();
      Set<String> used = new LinkedHashSet<>();
      for (ColumnSpec column : spec.columns()) {
        StructField field = fields.get(column.name());
        if (field != null) {
          used.add(field.name());
        }
        if (column.name().equals(spec.partitionColumn())) {
          String pattern = "/" + Pattern.quote(column.name()) + "=(\\d{4}-\\d{2}-\\d{2})/";
          columns.add(to_date(regexp_extract(filePath, pattern, 1)).as(column.name()));
        } else if (field == null) {
          columns.add(lit(null).cast(column.kind().sparkType).as(column.name()));
        } else {
          columns.add(cast(raw.col(quote(field.name())), field.dataType(), column.kind()).as(column.name()));
        }
      }
      for (StructField field : schema.fields()) {
        if (used.contains(field.name())) {
          continue;
        }
        Kind kind = prefixKind(field.name());
        Column value = raw.col(quote(field.name()));
        columns.add(kind == null ? value.as(field.name()) : cast(value, field.dataType(), kind).as(field.name()));
      }
      columns.add(filePath.as(SOURCE_FILE));
      columns.add(col("_metadata.row_index").as(SOURCE_ROW));
      if (spec.partitionColumn() != null) {
        StructField carried = fields.get(spec.partitionColumn());
        columns.add(
            carried == null
                ? lit(null).cast(DataTypes.DateType).as(SOURCE_PARTITION_VALUE)
                : cast(raw.col(quote(carried.name())), carried.dataType(), Kind.DATE)
                    .as(SOURCE_PARTITION_VALUE));
      }
      return raw.select(columns.toArray(Column[]::new));
    }

    /** Contract columns first, in contract order; extras as found; the source columns last. */
    private Dataset<Row> ordered(Dataset<Row> table) {
      List<String> names = new ArrayList<>();
      spec.columns().forEach(c -> names.add(c.name()));
      List<String> source = List.of(SOURCE_FILE, SOURCE_ROW, SOURCE_PARTITION_VALUE);
      for (String name : table.columns()) {
        if (!names.contains(name) && !source.contains(name)) {
          names.add(name);
        }
      }
      for (String name : source) {
        if (List.of(table.columns()).contains(name)) {
          names.add(name);
        }
      }
      return table.select(names.stream().map(n -> table.col(quote(n))).toArray(Column[]::new));
    }
  }

  private static Map<String, StructField> byLowerName(StructType schema) {
    Map<String, StructField> fields = new LinkedHashMap<>();
    for (StructField field : schema.fields()) {
      fields.putIfAbsent(field.name().toLowerCase(Locale.ROOT), field);
    }
    return fields;
  }

  private static String quote(String name) {
    return "`" + name.replace("`", "``") + "`";
  }

  private static boolean isIntegral(DataType type) {
    return type instanceof ByteType
        || type instanceof ShortType
        || type instanceof IntegerType
        || type instanceof LongType;
  }

  static boolean accepts(Kind kind, DataType type) {
    return switch (kind) {
      case STRING -> type instanceof StringType || isIntegral(type);
      case LONG -> isIntegral(type) || (type instanceof DecimalType d && d.scale() == 0);
      case DOUBLE ->
          type instanceof DoubleType
              || type instanceof FloatType
              || type instanceof DecimalType
              || isIntegral(type);
      case DATE ->
          type instanceof DateType || type instanceof TimestampType || type instanceof TimestampNTZType;
      case BOOLEAN -> type instanceof BooleanType;
    };
  }

  private static boolean acceptsExtra(Kind kind, DataType type) {
    return accepts(kind, type) || type instanceof BooleanType;
  }

  private static Column cast(Column value, DataType from, Kind kind) {
    if (kind == Kind.DOUBLE && from instanceof FloatType) {
      // through the decimal text, so that 1.1f reads as 1.1, not 1.100000023841858
      return value.cast(DataTypes.StringType).cast(DataTypes.DoubleType);
    }
    if (kind == Kind.DATE) {
      return from instanceof DateType ? value : to_date(value);
    }
    return from.equals(kind.sparkType) ? value : value.cast(kind.sparkType);
  }
}
