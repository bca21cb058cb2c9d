package io.pricepath.contract;

import java.time.DayOfWeek;
import java.time.LocalDate;
import java.time.temporal.ChronoUnit;

/** ISO weeks as the data contract names them: by the date of their Monday. */
public final class Weeks {
  private Weeks() {}

  /** A DATE value read from a Spark row, whichever Java type the session returns it as. */
  public static LocalDate toLocalDate(Object value) {
    if (value == null) {
      return null;
    }
    if (value instanceof LocalDate date) {
      return date;
    }
    if (value instanceof java.sql.Date date) {
      return date.toLocalDate();
    }
    if (value instanceof java.sql.Timestamp ts) {
      return ts.toLocalDateTime().toLocalDate();
    }
    throw new IllegalArgumentException("not a date value: %s (%s)".formatted(value, value.getClass().getName()));
  }

  /** Whether {@code date} is a Monday, the only day that names a week. */
  public static boolean isMonday(LocalDate date) {
    return date.getDayOfWeek() == DayOfWeek.MONDAY;
  }

  /** Whole weeks from {@code from} to {@code to} (both Mondays); negative when {@code to} is earlier. */
  public static int between(LocalDate from, LocalDate to) {
    return Math.toIntExact(ChronoUnit.WEEKS.between(from, to));
  }

  /** Parses a week argument (ISO date of a Monday), naming the option in the error. */
  public static LocalDate parseMonday(String option, String text) {
    LocalDate date;
    try {
      date = LocalDate.parse(text.trim());
    } catch (RuntimeException e) {
      throw new IllegalArgumentException(
          "Cannot read %s: not an ISO date YYYY-MM-DD (%s)".formatted(option, text));
    }
    if (!isMonday(date)) {
      throw new IllegalArgumentException(
          "Cannot use %s: weeks are named by their Monday, %s is a %s (use %s)"
              .formatted(option, date, date.getDayOfWeek(), date.with(DayOfWeek.MONDAY)));
    }
    return date;
  }
}
