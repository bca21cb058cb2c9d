package io.pricepath.validate;

import java.util.List;
import java.util.Objects;

/**
 * One broken rule of the data contract, found by {@link DatasetValidator}.
 *
 * @param severity {@link Severity#FATAL}: a run cannot use the dataset; {@link Severity#WARNING}:
 *     it can, and the message says what was done about it
 * @param table the table folder ({@code weekly}), or {@code (root)} for the dataset root
 * @param column the column, or null when the rule is about rows, files or the table as a whole
 * @param rule a stable identifier of the rule ({@code units_sold_negative}, {@code
 *     duplicate_key}, {@code missing_column}, …), also used as the quarantine reason
 * @param count how many rows (or, for structural rules, files) break it; 0 for a whole table
 * @param examples up to 5 keys of such rows ({@code A001|DE|2025-03-03}, the table's key columns
 *     joined by {@code |}), or files
 * @param message what is wrong and how to fix it, in words a user can act on
 */
public record Problem(
    Severity severity,
    String table,
    String column,
    String rule,
    long count,
    List<String> examples,
    String message) {

  /** How bad a problem is. */
  public enum Severity {
    /** The dataset cannot be used until it is fixed. */
    FATAL,
    /** The dataset can be used; the message says what was set aside or assumed. */
    WARNING
  }

  public Problem {
    Objects.requireNonNull(severity, "severity");
    Objects.requireNonNull(table, "table");
    Objects.requireNonNull(rule, "rule");
    Objects.requireNonNull(message, "message");
    if (count < 0) {
      throw new IllegalArgumentException("problem count (%d) must be >= 0".formatted(count));
    }
    examples = List.copyOf(examples);
  }

  /** Whether this problem stops a run. */
  public boolean isFatal() {
    return severity == Severity.FATAL;
  }
}
