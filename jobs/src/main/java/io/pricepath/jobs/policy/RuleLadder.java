package io.pricepath.jobs.policy;

import static org.apache.spark.sql.functions.datediff;
import static org.apache.spark.sql.functions.floor;
import static org.apache.spark.sql.functions.greatest;
import static org.apache.spark.sql.functions.least;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.round;
import static org.apache.spark.sql.functions.when;

import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import org.apache.spark.sql.Column;

/**
 * The fixed rule ladder: once an article is {@code startAge} weeks past its first week it is marked
 * down by {@code step}, and by {@code step} more every {@code everyWeeks} weeks, up to {@code top};
 * markdowns only (never below the live discount).
 *
 * @param startAge weeks since the first week at which the first step is taken
 * @param everyWeeks weeks between steps
 * @param step discount added per step
 * @param top deepest discount (the ladder's top)
 */
record RuleLadder(int startAge, int everyWeeks, double step, double top) {
  RuleLadder {
    if (startAge < 0) {
      throw new IllegalArgumentException("Cannot build the rule ladder: startAge must be >= 0 (%d)".formatted(startAge));
    }
    if (everyWeeks < 1) {
      throw new IllegalArgumentException(
          "Cannot build the rule ladder: everyWeeks must be >= 1 (%d)".formatted(everyWeeks));
    }
    if (!(step > 0 && step < 1)) {
      throw new IllegalArgumentException("Cannot build the rule ladder: step must be in (0, 1) (%s)".formatted(step));
    }
    if (!(top >= 0 && top < 1)) {
      throw new IllegalArgumentException("Cannot build the rule ladder: top must be in [0, 1) (%s)".formatted(top));
    }
  }

  /** 10 % more every 4 weeks once 6 weeks past the first week, up to {@code top}. */
  static RuleLadder standard(double top) {
    return new RuleLadder(6, 4, 0.1, top);
  }

  /** The discount of {@code week} for an article launched in {@code firstWeek} whose live discount is {@code live}. */
  double discount(LocalDate week, LocalDate firstWeek, double live) {
    long age = ChronoUnit.WEEKS.between(firstWeek, week);
    long steps = age >= startAge ? (age - startAge) / everyWeeks + 1 : 0;
    double scheduled = Math.min(top, steps * step);
    return Math.round(Math.max(live, scheduled) * 1e6) / 1e6;
  }

  /** The same rule as a column expression. */
  Column discount(Column week, Column firstWeek, Column live) {
    Column age = floor(datediff(week, firstWeek).divide(7));
    Column steps = when(age.geq(startAge), floor(age.minus(startAge).divide(everyWeeks)).plus(1)).otherwise(0);
    Column scheduled = least(steps.multiply(step), lit(top));
    return round(greatest(live, scheduled), 6);
  }
}
