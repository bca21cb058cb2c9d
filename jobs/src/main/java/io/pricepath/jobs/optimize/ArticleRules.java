package io.pricepath.jobs.optimize;

import io.pricepath.contract.Columns;
import io.pricepath.contract.Weeks;
import io.pricepath.jobs.config.ConfigException;
import io.pricepath.jobs.config.RunConfig;
import java.io.Serializable;
import java.time.LocalDate;
import java.util.List;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;

/**
 * An article's own rules, from the optional {@code rule_*} columns of {@code articles/} (carried
 * by the plan state); each field is null where the column is absent or null, and then the
 * category's or the run's rule applies. Ranges are checked by the validator; what depends on the
 * run (the ladder, the rules it combines with) is checked here.
 *
 * @param minDiscount {@code rule_min_discount}
 * @param maxDiscount {@code rule_max_discount}
 * @param maxChanges {@code rule_max_changes}
 * @param maxStepsPerWeek {@code rule_max_steps_per_week}
 * @param markdownOnly {@code rule_markdown_only}
 * @param noTouchUntil {@code rule_no_touch_until}: the first week whose price may change
 * @param lockedDiscount {@code rule_locked_discount}: the discount of every week of the horizon
 */
record ArticleRules(Double minDiscount, Double maxDiscount, Long maxChanges, Long maxStepsPerWeek,
    Boolean markdownOnly, LocalDate noTouchUntil, Double lockedDiscount) implements Serializable {

  /** No rule of its own. */
  static final ArticleRules NONE = new ArticleRules(null, null, null, null, null, null, null);

  /** The rule columns in the order {@link #of} reads them. */
  static final List<String> COLUMNS = List.of(Columns.RULE_MIN_DISCOUNT, Columns.RULE_MAX_DISCOUNT,
      Columns.RULE_MAX_CHANGES, Columns.RULE_MAX_STEPS_PER_WEEK, Columns.RULE_MARKDOWN_ONLY,
      Columns.RULE_NO_TOUCH_UNTIL, Columns.RULE_LOCKED_DISCOUNT);

  /** Their Spark types, in the same order. */
  static final List<DataType> TYPES = List.of(DataTypes.DoubleType, DataTypes.DoubleType, DataTypes.LongType,
      DataTypes.LongType, DataTypes.BooleanType, DataTypes.DateType, DataTypes.DoubleType);

  /** The rules in {@code row}'s columns {@code first … first + 6}, laid out as {@link #COLUMNS}. */
  static ArticleRules of(Row row, int first) {
    return new ArticleRules(
        row.isNullAt(first) ? null : row.getDouble(first),
        row.isNullAt(first + 1) ? null : row.getDouble(first + 1),
        row.isNullAt(first + 2) ? null : row.getLong(first + 2),
        row.isNullAt(first + 3) ? null : row.getLong(first + 3),
        row.isNullAt(first + 4) ? null : row.getBoolean(first + 4),
        row.isNullAt(first + 5) ? null : Weeks.toLocalDate(row.get(first + 5)),
        row.isNullAt(first + 6) ? null : row.getDouble(first + 6));
  }

  /**
   * These rules over {@code base} (the category's or the run's).
   *
   * @throws ConfigException when the result is contradictory (a minimum above the maximum), naming
   *     the article and the columns to fix
   */
  RunConfig.RuleConfig over(String articleId, RunConfig.RuleConfig base) {
    if (this.equals(NONE)) {
      return base;
    }
    double min = minDiscount != null ? minDiscount : base.minDiscount();
    double max = maxDiscount != null ? maxDiscount : base.maxDiscount();
    if (min > max) {
      throw new ConfigException(
          ("Cannot price article %s: its minimum discount %s is above its maximum %s (%s/%s of articles/, or the "
              + "category's or run's rules where null); set both columns or fix the one out of line")
              .formatted(articleId, min, max, Columns.RULE_MIN_DISCOUNT, Columns.RULE_MAX_DISCOUNT));
    }
    return new RunConfig.RuleConfig(
        markdownOnly != null ? markdownOnly : base.markdownOnly(),
        maxStepsPerWeek != null ? (int) Math.min(Integer.MAX_VALUE, maxStepsPerWeek) : base.maxStepsPerWeek(),
        maxChanges != null ? (int) Math.min(Integer.MAX_VALUE, maxChanges) : base.maxChanges(),
        min,
        max,
        base.noTouchWeeksAfterLaunch());
  }
}
