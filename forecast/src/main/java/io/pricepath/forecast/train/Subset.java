package io.pricepath.forecast.train;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;

import io.pricepath.contract.Columns;
import io.pricepath.features.FeatureBuilder;
import java.time.LocalDate;
import org.apache.spark.sql.Column;

/**
 * A time-ordered part of a target's training rows (for early stopping and holdouts), as a Spark
 * filter and as a test on the driver's rows: one definition for both.
 *
 * @param weekFrom first target week kept (null: no bound)
 * @param weekTo first target week no longer kept (null: no bound)
 * @param origin the only origin kept (null: every origin)
 */
record Subset(LocalDate weekFrom, LocalDate weekTo, LocalDate origin) {
  static final Subset ALL = new Subset(null, null, null);

  static Subset weeksBefore(LocalDate week) {
    return new Subset(null, week, null);
  }

  static Subset weeks(LocalDate from, LocalDate to) {
    return new Subset(from, to, null);
  }

  static Subset atOrigin(LocalDate origin) {
    return new Subset(null, null, origin);
  }

  Column sql() {
    Column c = lit(true);
    if (weekFrom != null) {
      c = c.and(col(Columns.WEEK).geq(lit(weekFrom)));
    }
    if (weekTo != null) {
      c = c.and(col(Columns.WEEK).lt(lit(weekTo)));
    }
    if (origin != null) {
      c = c.and(col(FeatureBuilder.ORIGIN).equalTo(lit(origin)));
    }
    return c;
  }

  boolean test(TrainingRows rows, int i) {
    return test(rows.origin[i], rows.week[i]);
  }

  /** Whether a row of origin {@code originDay} and target week {@code weekDay} (epoch days) is in. */
  boolean test(int originDay, int weekDay) {
    return (weekFrom == null || weekDay >= weekFrom.toEpochDay())
        && (weekTo == null || weekDay < weekTo.toEpochDay())
        && (origin == null || originDay == origin.toEpochDay());
  }
}
