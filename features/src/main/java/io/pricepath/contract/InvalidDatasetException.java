package io.pricepath.contract;

import java.util.List;
import java.util.Objects;

/**
 * A dataset root does not follow the data contract (v1): a mandatory table or column is missing,
 * a column has a type the contract cannot take, or a file cannot be read. The message lists every
 * problem found, each naming the table, column or file and what would fix it; {@link #issues()}
 * gives them one by one.
 */
public final class InvalidDatasetException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /**
   * One problem with a dataset root.
   *
   * @param table the table folder ({@code weekly}), never null
   * @param column the column, or null when the problem is the table's or a file's
   * @param rule a stable identifier of the broken rule ({@code missing_table}, {@code
   *     wrong_type}, …)
   * @param count how many files or rows are affected (0 when it is the whole table)
   * @param examples up to 5 affected files or keys
   * @param message what is wrong and how to fix it, in words a user can act on
   */
  public record Issue(
      String table, String column, String rule, long count, List<String> examples, String message) {
    public Issue {
      Objects.requireNonNull(table, "table");
      Objects.requireNonNull(rule, "rule");
      Objects.requireNonNull(message, "message");
      if (count < 0) {
        throw new IllegalArgumentException("issue count (%d) must be >= 0".formatted(count));
      }
      examples = List.copyOf(examples);
    }
  }

  private final String root;
  private final transient List<Issue> issues;

  /** An exception for {@code root} with at least one issue. */
  public InvalidDatasetException(String root, List<Issue> issues) {
    super(message(root, issues));
    this.root = root;
    this.issues = List.copyOf(issues);
  }

  /** The dataset root that was read. */
  public String root() {
    return root;
  }

  /** Every problem found, in the order tables are read (articles, weekly, returns, residuals). */
  public List<Issue> issues() {
    return issues;
  }

  /** The user-facing message of each problem. */
  public List<String> problems() {
    return issues.stream().map(Issue::message).toList();
  }

  private static String message(String root, List<Issue> issues) {
    Objects.requireNonNull(root, "root");
    if (issues.isEmpty()) {
      throw new IllegalArgumentException("an invalid dataset needs at least one issue");
    }
    if (issues.size() == 1) {
      return "Cannot read dataset %s: %s".formatted(root, issues.get(0).message());
    }
    StringBuilder text =
        new StringBuilder("Cannot read dataset %s: %d problems".formatted(root, issues.size()));
    for (Issue issue : issues) {
      text.append("\n  - ").append(issue.message());
    }
    return text.toString();
  }
}
