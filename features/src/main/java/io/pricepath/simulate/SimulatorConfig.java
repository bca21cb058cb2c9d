package io.pricepath.simulate;

import io.pricepath.contract.Weeks;
import java.io.Serializable;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;

/**
 * Size, seed and calendar of a simulated market.
 *
 * <p>History covers {@code weeks} weeks, from {@code firstWeek} to {@link #lastWeek()}; the plan
 * week is the Monday right after it. Markets are named {@code DE, FR, NL, AT, PL, IT, ES, SE}, and
 * {@code M01, M02, …} beyond the eighth.
 *
 * @param articles number of articles, in [1, 10 000 000]
 * @param markets number of markets, in [1, 99]
 * @param weeks number of history weeks, in [4, 520]
 * @param seed seed of every random draw; the same seed gives the same dataset and truth
 * @param firstWeek Monday of the first history week
 * @param partitions Spark partitions the articles are generated in; 0 chooses from the size. The
 *     output does not depend on it.
 */
public record SimulatorConfig(
    int articles, int markets, int weeks, long seed, LocalDate firstWeek, int partitions)
    implements Serializable {

  /** Default first history week: Monday 2024-01-01. */
  public static final LocalDate DEFAULT_FIRST_WEEK = LocalDate.of(2024, 1, 1);

  static final int MAX_ARTICLES = 10_000_000;
  static final int MAX_MARKETS = 99;
  static final int MIN_WEEKS = 4;
  static final int MAX_WEEKS = 520;
  private static final String[] NAMED_MARKETS = {"DE", "FR", "NL", "AT", "PL", "IT", "ES", "SE"};

  public SimulatorConfig {
    if (articles < 1 || articles > MAX_ARTICLES) {
      throw new IllegalArgumentException(
          "Cannot configure simulator: articles must be in [1, %d] (%d)"
              .formatted(MAX_ARTICLES, articles));
    }
    if (markets < 1 || markets > MAX_MARKETS) {
      throw new IllegalArgumentException(
          "Cannot configure simulator: markets must be in [1, %d] (%d)"
              .formatted(MAX_MARKETS, markets));
    }
    if (weeks < MIN_WEEKS || weeks > MAX_WEEKS) {
      throw new IllegalArgumentException(
          "Cannot configure simulator: weeks must be in [%d, %d] (%d)"
              .formatted(MIN_WEEKS, MAX_WEEKS, weeks));
    }
    if (firstWeek == null) {
      throw new IllegalArgumentException(
          "Cannot configure simulator: firstWeek is required (null)");
    }
    if (!Weeks.isMonday(firstWeek)) {
      throw new IllegalArgumentException(
          "Cannot configure simulator: firstWeek must be a Monday (%s is a %s)"
              .formatted(firstWeek, firstWeek.getDayOfWeek()));
    }
    if (partitions < 0) {
      throw new IllegalArgumentException(
          "Cannot configure simulator: partitions must be >= 0, 0 for automatic (%d)"
              .formatted(partitions));
    }
  }

  /** A config starting on {@link #DEFAULT_FIRST_WEEK}, partitioned automatically. */
  public static SimulatorConfig of(int articles, int markets, int weeks, long seed) {
    return new SimulatorConfig(articles, markets, weeks, seed, DEFAULT_FIRST_WEEK, 0);
  }

  /** The same config generated in {@code count} Spark partitions (0: automatic). */
  public SimulatorConfig withPartitions(int count) {
    return new SimulatorConfig(articles, markets, weeks, seed, firstWeek, count);
  }

  /** The same config with history starting on another Monday. */
  public SimulatorConfig withFirstWeek(LocalDate monday) {
    return new SimulatorConfig(articles, markets, weeks, seed, monday, partitions);
  }

  /** Monday of history week {@code index} (0 = {@link #firstWeek()}). */
  public LocalDate week(int index) {
    return firstWeek.plusWeeks(index);
  }

  /** Monday of the last history week. */
  public LocalDate lastWeek() {
    return week(weeks - 1);
  }

  /** The Monday right after the last history week: the first week a plan prices. */
  public LocalDate planWeek() {
    return week(weeks);
  }

  /** Name of market {@code index} (0-based). */
  public static String marketName(int index) {
    if (index < 0 || index >= MAX_MARKETS) {
      throw new IllegalArgumentException(
          "Cannot name market: index must be in [0, %d] (%d)".formatted(MAX_MARKETS - 1, index));
    }
    return index < NAMED_MARKETS.length
        ? NAMED_MARKETS[index]
        : "M%02d".formatted(index - NAMED_MARKETS.length + 1);
  }

  /** Names of this config's markets, in index order. */
  public List<String> marketNames() {
    List<String> names = new ArrayList<>(markets);
    for (int i = 0; i < markets; i++) {
      names.add(marketName(i));
    }
    return List.copyOf(names);
  }

  /** Partitions to generate in: {@link #partitions()}, or one per 2,000 articles (at least {@code minimum}). */
  int effectivePartitions(int minimum) {
    if (partitions > 0) {
      return Math.min(partitions, articles);
    }
    int bySize = (articles + 1_999) / 2_000;
    return Math.max(1, Math.min(articles, Math.max(minimum, bySize)));
  }
}
