package io.pricepath.validate;

import io.pricepath.contract.Columns;
import io.pricepath.contract.ContractTables;
import io.pricepath.contract.InvalidDatasetException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * What {@link DatasetValidator} found in a dataset root: every {@link Problem}, the rows read per
 * table and, unless a problem is fatal, the tables a run may use.
 */
public final class ValidationReport {
  private static final List<String> TABLES =
      List.of(Columns.ARTICLES, Columns.WEEKLY, Columns.RETURNS, Columns.RESIDUALS);

  /** Rows set aside from one table: in all and per rule (a row may break several rules). */
  record SetAside(String table, long rows, Map<String, Long> perRule) {
    SetAside {
      perRule = Map.copyOf(perRule);
    }
  }

  private final String root;
  private final List<Problem> problems;
  private final Map<String, Long> rowCounts;
  private final ContractTables cleanTables;
  private final String quarantineDir;
  private final List<SetAside> setAside;
  private final Set<String> absentTables;

  ValidationReport(
      String root,
      List<Problem> problems,
      Map<String, Long> rowCounts,
      ContractTables cleanTables,
      String quarantineDir,
      List<SetAside> setAside,
      Set<String> absentTables) {
    this.root = Objects.requireNonNull(root, "root");
    this.problems = List.copyOf(problems);
    this.rowCounts = Collections.unmodifiableMap(new LinkedHashMap<>(rowCounts));
    this.cleanTables = cleanTables;
    this.quarantineDir = quarantineDir;
    this.setAside = List.copyOf(setAside);
    this.absentTables = Set.copyOf(absentTables);
  }

  /** The dataset root that was validated. */
  public String root() {
    return root;
  }

  /** Every problem found, table by table (articles, weekly, returns, residuals), rule by rule. */
  public List<Problem> problems() {
    return problems;
  }

  /** Whether a problem stops a run from using this dataset. */
  public boolean hasFatal() {
    return problems.stream().anyMatch(Problem::isFatal);
  }

  /**
   * Rows read per table, before any were set aside, in table order; a table that is absent or
   * could not be read has no entry.
   */
  public Map<String, Long> rowCounts() {
    return rowCounts;
  }

  /**
   * The tables a run may use: all rows when nothing was wrong, or, with a quarantine folder, the
   * rows that break no rule. The tables are lazy: each use re-reads the dataset and re-applies the
   * rules, so the same rows come out every time.
   *
   * @throws InvalidDatasetException when a problem is fatal; it lists the fatal problems
   */
  public ContractTables cleanTables() {
    if (cleanTables == null) {
      List<InvalidDatasetException.Issue> issues =
          problems.stream()
              .filter(Problem::isFatal)
              .map(
                  p ->
                      new InvalidDatasetException.Issue(
                          p.table(), p.column(), p.rule(), p.count(), p.examples(), p.message()))
              .toList();
      throw new InvalidDatasetException(root, issues);
    }
    return cleanTables;
  }

  /** A few lines for the console: a table of rows and problems per table, then each problem. */
  public String render() {
    long fatal = problems.stream().filter(Problem::isFatal).count();
    long warnings = problems.size() - fatal;
    StringBuilder out = new StringBuilder("Dataset ").append(root).append(": ");
    if (problems.isEmpty()) {
      out.append("valid, no problems\n");
    } else {
      out.append(plural(fatal, "fatal problem"))
          .append(", ")
          .append(plural(warnings, "warning"))
          .append('\n');
    }
    out.append("%-10s %12s %9s%n".formatted("table", "rows", "problems"));
    for (String table : TABLES) {
      long count = problems.stream().filter(p -> p.table().equals(table)).count();
      Long rows = rowCounts.get(table);
      String shown = rows == null ? (absentTables.contains(table) ? "absent" : "-") : Long.toString(rows);
      out.append("%-10s %12s %9d%n".formatted(table, shown, count));
    }
    for (Problem problem : problems) {
      out.append("%-8s %s%n".formatted(problem.severity(), problem.message()));
    }
    if (quarantineDir != null && cleanTables != null) {
      long rows = setAside.stream().mapToLong(SetAside::rows).sum();
      out.append("Set aside %s in %s (see report.json there)%n".formatted(plural(rows, "row"), quarantineDir));
    }
    return out.toString();
  }

  private static final com.fasterxml.jackson.databind.ObjectMapper JSON =
      new com.fasterxml.jackson.databind.ObjectMapper();

  /** Jackson's pretty printer as {@code report.json} has always looked: {@code "key": value}, one array item a line. */
  private static final class Layout extends com.fasterxml.jackson.core.util.DefaultPrettyPrinter {
    Layout() {
      indentArraysWith(com.fasterxml.jackson.core.util.DefaultIndenter.SYSTEM_LINEFEED_INSTANCE);
    }

    @Override
    public Layout createInstance() {
      return new Layout();
    }

    @Override
    public void writeObjectFieldValueSeparator(com.fasterxml.jackson.core.JsonGenerator g) throws java.io.IOException {
      g.writeRaw(": ");
    }

    @Override
    public void writeEndObject(com.fasterxml.jackson.core.JsonGenerator g, int entries) throws java.io.IOException {
      if (entries == 0) {
        _nesting--;
        g.writeRaw('}');
      } else {
        super.writeEndObject(g, entries);
      }
    }

    @Override
    public void writeEndArray(com.fasterxml.jackson.core.JsonGenerator g, int values) throws java.io.IOException {
      if (values == 0) {
        _nesting--;
        g.writeRaw(']');
      } else {
        super.writeEndArray(g, values);
      }
    }
  }

  /**
   * The report as a JSON object: {@code root}, {@code valid}, {@code row_counts}, {@code problems}
   * (severity, table, column, rule, count, examples, message) and {@code quarantine} (folder and
   * rows set aside per table and rule, or null).
   */
  public String toJson() {
    Map<String, Object> json = new LinkedHashMap<>();
    json.put("root", root);
    json.put("valid", !hasFatal());
    json.put("row_counts", rowCounts);
    List<Object> list = new ArrayList<>();
    for (Problem p : problems) {
      Map<String, Object> item = new LinkedHashMap<>();
      item.put("severity", p.severity().name());
      item.put("table", p.table());
      item.put("column", p.column());
      item.put("rule", p.rule());
      item.put("count", p.count());
      item.put("examples", p.examples());
      item.put("message", p.message());
      list.add(item);
    }
    json.put("problems", list);
    if (quarantineDir == null) {
      json.put("quarantine", null);
    } else {
      Map<String, Object> quarantine = new LinkedHashMap<>();
      quarantine.put("folder", quarantineDir);
      quarantine.put("written", cleanTables != null);
      Map<String, Object> tables = new LinkedHashMap<>();
      for (SetAside table : setAside) {
        Map<String, Object> item = new LinkedHashMap<>();
        item.put("rows_read", rowCounts.get(table.table()));
        item.put("rows_set_aside", table.rows());
        item.put("path", table.rows() > 0 ? quarantineDir + "/" + table.table() : null);
        Map<String, Object> perRule = new LinkedHashMap<>();
        table.perRule().entrySet().stream()
            .sorted(Map.Entry.comparingByKey())
            .forEach(e -> perRule.put(e.getKey(), e.getValue()));
        item.put("rules", perRule);
        tables.put(table.table(), item);
      }
      quarantine.put("tables", tables);
      json.put("quarantine", quarantine);
    }
    try {
      return JSON.writer(new Layout()).writeValueAsString(json) + "\n";
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException("Cannot write the validation report as JSON: " + e.getMessage(), e);
    }
  }

  private static String plural(long count, String noun) {
    return count + " " + noun + (count == 1 ? "" : "s");
  }

  @Override
  public String toString() {
    return render();
  }
}
