package io.pricepath.validate;

import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.concat_ws;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.not;
import static org.apache.spark.sql.functions.udaf;
import static org.apache.spark.sql.functions.when;

import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.expressions.UserDefinedFunction;

/**
 * The row-level rules of one table, evaluated together: one aggregation counts the rows that
 * break each rule, a second one (only when some do, and only over those rows) picks example
 * keys.
 */
final class TableCheck {
  /** Name of the column a quarantined row's broken rules are listed in, comma-separated. */
  static final String QUARANTINE_REASON = "quarantine_reason";

  private static final String FLAG = "__pricepath_flag_";

  /** How many rows break each rule, with example keys. */
  record Outcome(long rows, long badRows, List<Long> counts, List<List<String>> examples) {}

  private final String table;
  private final List<String> keyColumns;
  private final List<Rule> rules;
  private final List<String> outputColumns;
  private final Dataset<Row> flagged;

  /**
   * @param frame the table with its source columns and any helper columns the rules use
   * @param outputColumns the table's own columns (what clean and quarantined rows keep)
   */
  TableCheck(
      String table,
      Dataset<Row> frame,
      List<String> outputColumns,
      List<String> keyColumns,
      List<Rule> rules) {
    this.table = table;
    this.keyColumns = List.copyOf(keyColumns);
    this.rules = List.copyOf(rules);
    this.outputColumns = List.copyOf(outputColumns);
    List<Column> columns = new ArrayList<>();
    columns.add(col("*"));
    for (int i = 0; i < rules.size(); i++) {
      columns.add(coalesce(rules.get(i).condition(), lit(false)).as(FLAG + i));
    }
    this.flagged = frame.select(columns.toArray(Column[]::new));
  }

  String table() {
    return table;
  }

  List<Rule> rules() {
    return rules;
  }

  String keyDescription() {
    return "(" + String.join(", ", keyColumns) + ")";
  }

  /** True for a row that breaks any rule. */
  Column anyBroken() {
    Column any = lit(false);
    for (int i = 0; i < rules.size(); i++) {
      any = any.or(col(FLAG + i));
    }
    return any;
  }

  Outcome run() {
    List<Column> counts = new ArrayList<>();
    for (int i = 0; i < rules.size(); i++) {
      counts.add(count(when(col(FLAG + i), 1)));
    }
    counts.add(count(when(anyBroken(), 1)));
    Row totals = flagged.agg(count(lit(1)), counts.toArray(Column[]::new)).first();
    List<Long> perRule = new ArrayList<>();
    List<Integer> failing = new ArrayList<>();
    for (int i = 0; i < rules.size(); i++) {
      long n = totals.getLong(i + 1);
      perRule.add(n);
      if (n > 0) {
        failing.add(i);
      }
    }
    long badRows = totals.getLong(rules.size() + 1);
    List<List<String>> examples = new ArrayList<>();
    rules.forEach(r -> examples.add(List.of()));
    if (!failing.isEmpty()) {
      UserDefinedFunction smallest = udaf(new SmallestKeys(), Encoders.STRING());
      List<Column> keyParts = new ArrayList<>();
      for (String key : keyColumns) {
        keyParts.add(coalesce(col(key).cast("string"), lit("null")));
      }
      Column key = concat_ws("|", keyParts.toArray(Column[]::new));
      List<Column> picks = new ArrayList<>();
      for (int i : failing) {
        picks.add(smallest.apply(when(col(FLAG + i), key)));
      }
      Row picked =
          flagged
              .where(anyBroken())
              .agg(picks.get(0), picks.subList(1, picks.size()).toArray(Column[]::new))
              .first();
      for (int j = 0; j < failing.size(); j++) {
        examples.set(failing.get(j), SmallestKeys.decode(picked.getString(j)));
      }
    }
    return new Outcome(totals.getLong(0), badRows, perRule, examples);
  }

  /** The rows that break no rule, with the table's own columns. */
  Dataset<Row> clean() {
    return flagged.where(not(anyBroken())).select(output());
  }

  /** The rows that break a rule, with the table's own columns and {@value #QUARANTINE_REASON}. */
  Dataset<Row> setAside() {
    List<Column> reasons = new ArrayList<>();
    for (int i = 0; i < rules.size(); i++) {
      reasons.add(when(col(FLAG + i), lit(rules.get(i).id())));
    }
    List<Column> columns = new ArrayList<>(List.of(output()));
    columns.add(concat_ws(",", reasons.toArray(Column[]::new)).as(QUARANTINE_REASON));
    return flagged.where(anyBroken()).select(columns.toArray(Column[]::new));
  }

  /** Every row with the table's own columns and a flag: whether it breaks no rule. */
  Dataset<Row> withCleanFlag(String flagName) {
    List<Column> columns = new ArrayList<>(List.of(output()));
    columns.add(not(anyBroken()).as(flagName));
    return flagged.select(columns.toArray(Column[]::new));
  }

  private Column[] output() {
    return outputColumns.stream()
        .map(c -> col("`" + c.replace("`", "``") + "`"))
        .toArray(Column[]::new);
  }
}
