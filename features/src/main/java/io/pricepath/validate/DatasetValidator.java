package io.pricepath.validate;

import io.pricepath.contract.Columns;
import io.pricepath.contract.ContractTables;
import io.pricepath.contract.DatasetReader;
import io.pricepath.contract.InvalidDatasetException;
import io.pricepath.validate.Problem.Severity;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * Checks a dataset root against every rule of the data contract (v1).
 *
 * <p>Structural rules (a table or mandatory column missing, a column of a type the contract
 * cannot take, a file that cannot be read) are always {@link Severity#FATAL}. Row-level rules
 * (nulls where the contract forbids them, values out of range, NaN or infinite numbers, weeks that
 * are not Mondays, a file's week column that differs from its folder, {@code return_week} before
 * {@code sale_week}, rows of articles missing from {@code articles/}, keys repeated after their
 * first row) are fatal too, unless {@link ValidationOptions#quarantineDir()} is set: then their
 * rows are written to {@code <dir>/<table>/} (Parquet, with a {@code quarantine_reason} column
 * listing the rules each row breaks), {@code <dir>/report.json} records the report, and the
 * problems are {@link Severity#WARNING}s. A missing optional table ({@code returns/}, {@code
 * residuals/}) is a warning.
 *
 * <p>Each table is checked in one aggregation over its rows (plus one over the rows that break a
 * rule, to pick example keys), so the cost grows with the data, not with the number of rules.
 */
public final class DatasetValidator {
  private static final Pattern FILE_URI =
      Pattern.compile("((?:file|s3a|s3|hdfs|gs|abfss?|wasbs?):/[^\\s,;]+)");

  private DatasetValidator() {}

  /**
   * Validates the dataset at {@code root} (a local path, {@code file://…} or {@code s3a://…}).
   * Never throws for a bad dataset: every problem is in the report.
   */
  public static ValidationReport validate(
      SparkSession spark, String root, ValidationOptions options) {
    if (spark == null || root == null || options == null) {
      throw new IllegalArgumentException("spark, root and options are required");
    }
    ContractTables traced;
    try {
      traced = DatasetReader.readWithSource(spark, root);
    } catch (InvalidDatasetException e) {
      List<Problem> problems =
          e.issues().stream()
              .map(
                  i ->
                      new Problem(
                          Severity.FATAL,
                          i.table(),
                          i.column(),
                          i.rule(),
                          i.count(),
                          i.examples(),
                          i.message()))
              .toList();
      return new ValidationReport(
          root, problems, Map.of(), null, options.quarantineDir(), List.of(), Set.of());
    }
    boolean quarantine = options.quarantines();
    TableCheck articles = ContractRules.articles(traced.articles());
    Dataset<Row> status = ContractRules.articleStatus(articles, quarantine);
    Map<String, Optional<TableCheck>> checks = new LinkedHashMap<>();
    checks.put(Columns.ARTICLES, Optional.of(articles));
    checks.put(Columns.WEEKLY, Optional.of(ContractRules.weekly(traced.weekly(), status, quarantine)));
    checks.put(
        Columns.RETURNS, traced.returns().map(t -> ContractRules.returns(t, status, quarantine)));
    checks.put(
        Columns.RESIDUALS,
        traced.residuals().map(t -> ContractRules.residuals(t, status, quarantine)));

    List<Problem> problems = new ArrayList<>();
    Map<String, Long> rowCounts = new LinkedHashMap<>();
    Map<String, TableCheck.Outcome> outcomes = new LinkedHashMap<>();
    Set<String> absent = new HashSet<>();
    for (Map.Entry<String, Optional<TableCheck>> entry : checks.entrySet()) {
      String table = entry.getKey();
      if (entry.getValue().isEmpty()) {
        absent.add(table);
        problems.add(absentTable(root, table));
        continue;
      }
      TableCheck check = entry.getValue().get();
      TableCheck.Outcome outcome;
      try {
        outcome = check.run();
      } catch (Exception e) {
        if (e instanceof IllegalArgumentException || e instanceof IllegalStateException) {
          throw e;
        }
        problems.add(unreadable(table, e));
        continue;
      }
      outcomes.put(table, outcome);
      rowCounts.put(table, outcome.rows());
      for (int i = 0; i < check.rules().size(); i++) {
        long count = outcome.counts().get(i);
        if (count > 0) {
          problems.add(
              rowProblem(check, check.rules().get(i), count, outcome.examples().get(i), options));
        }
      }
    }
    boolean fatal = problems.stream().anyMatch(Problem::isFatal);
    if (fatal) {
      return new ValidationReport(
          root, problems, rowCounts, null, options.quarantineDir(), List.of(), absent);
    }
    if (!quarantine) {
      ContractTables all =
          new ContractTables(
              traced.root(),
              withoutSource(traced.articles()),
              withoutSource(traced.weekly()),
              traced.returns().map(DatasetValidator::withoutSource),
              traced.residuals().map(DatasetValidator::withoutSource));
      return new ValidationReport(root, problems, rowCounts, all, null, List.of(), absent);
    }
    List<ValidationReport.SetAside> setAside = new ArrayList<>();
    for (Map.Entry<String, TableCheck.Outcome> entry : outcomes.entrySet()) {
      TableCheck check = checks.get(entry.getKey()).orElseThrow();
      TableCheck.Outcome outcome = entry.getValue();
      Map<String, Long> perRule = new LinkedHashMap<>();
      for (int i = 0; i < check.rules().size(); i++) {
        if (outcome.counts().get(i) > 0) {
          perRule.put(check.rules().get(i).id(), outcome.counts().get(i));
        }
      }
      setAside.add(new ValidationReport.SetAside(check.table(), outcome.badRows(), perRule));
    }
    ContractTables clean =
        new ContractTables(
            traced.root(),
            checks.get(Columns.ARTICLES).orElseThrow().clean(),
            checks.get(Columns.WEEKLY).orElseThrow().clean(),
            checks.get(Columns.RETURNS).map(TableCheck::clean),
            checks.get(Columns.RESIDUALS).map(TableCheck::clean));
    ValidationReport report =
        new ValidationReport(
            root, problems, rowCounts, clean, options.quarantineDir(), setAside, absent);
    writeQuarantine(spark, options.quarantineDir(), checks, outcomes, report);
    return report;
  }

  private static Dataset<Row> withoutSource(Dataset<Row> table) {
    return table.drop(
        DatasetReader.SOURCE_FILE, DatasetReader.SOURCE_ROW, DatasetReader.SOURCE_PARTITION_VALUE);
  }

  private static void writeQuarantine(
      SparkSession spark,
      String dir,
      Map<String, Optional<TableCheck>> checks,
      Map<String, TableCheck.Outcome> outcomes,
      ValidationReport report) {
    Path folder = new Path(dir);
    try {
      FileSystem fs = folder.getFileSystem(spark.sparkContext().hadoopConfiguration());
      fs.mkdirs(folder);
      for (Map.Entry<String, TableCheck.Outcome> entry : outcomes.entrySet()) {
        Path tableFolder = new Path(folder, entry.getKey());
        if (entry.getValue().badRows() > 0) {
          checks
              .get(entry.getKey())
              .orElseThrow()
              .setAside()
              .write()
              .mode("overwrite")
              .parquet(tableFolder.toString());
        } else if (fs.exists(tableFolder)) {
          // rows set aside by an earlier run: they would read as this run's
          fs.delete(tableFolder, true);
        }
      }
      try (OutputStream out = fs.create(new Path(folder, "report.json"), true)) {
        out.write(report.toJson().getBytes(StandardCharsets.UTF_8));
      }
    } catch (IOException e) {
      throw new IllegalStateException(
          "Cannot write the quarantine folder: %s (%s); check that it is writable"
              .formatted(e.getMessage(), dir),
          e);
    }
  }

  private static Problem rowProblem(
      TableCheck check, Rule rule, long count, List<String> examples, ValidationOptions options) {
    String where = rule.column() == null ? check.table() : check.table() + "." + rule.column();
    String rows = count == 1 ? "1 row has" : count + " rows have";
    String shown = String.join(", ", examples) + (count > examples.size() ? ", …" : "");
    String action =
        options.quarantines()
            ? "%s set aside in %s/%s with quarantine_reason %s"
                .formatted(
                    count == 1 ? "the row is" : "these rows are",
                    options.quarantineDir(),
                    check.table(),
                    rule.id())
            : "fix the source extract or quarantine %s with --quarantine DIR"
                .formatted(count == 1 ? "this row" : "these rows");
    String message =
        "%s: %s %s (examples: %s); %s — %s"
            .formatted(where, rows, rule.finding(), shown, rule.requirement(), action);
    return new Problem(
        options.quarantines() ? Severity.WARNING : Severity.FATAL,
        check.table(),
        rule.column(),
        rule.id(),
        count,
        examples,
        message);
  }

  private static Problem absentTable(String root, String table) {
    String consequence =
        table.equals(Columns.RETURNS)
            ? "return rates are taken as 0 and nothing comes back"
            : "no residual value is known for stock left after exit_week";
    return new Problem(
        Severity.WARNING,
        table,
        null,
        "absent_table",
        0,
        List.of(),
        "%s/: optional table is absent (no Parquet files under %s/%s); %s"
            .formatted(table, root.replaceAll("/+$", ""), table, consequence));
  }

  private static Problem unreadable(String table, Exception error) {
    String file = null;
    String reason = null;
    for (Throwable t = error; t != null; t = t.getCause()) {
      String text = t.getMessage();
      if (text == null) {
        continue;
      }
      if (file == null) {
        Matcher matcher = FILE_URI.matcher(text);
        if (matcher.find()) {
          file = matcher.group(1).replaceAll("[.:]+$", "");
        }
      }
      reason = text.strip().lines().findFirst().orElse(text);
    }
    if (reason == null) {
      reason = error.getClass().getSimpleName();
    }
    if (reason.length() > 160) {
      reason = reason.substring(0, 160) + "…";
    }
    String named = file == null ? "a file" : file;
    return new Problem(
        Severity.FATAL,
        table,
        null,
        "unreadable_file",
        1,
        file == null ? List.of() : List.of(file),
        "%s/: %s cannot be read (%s); rewrite or remove it".formatted(table, named, reason));
  }
}
