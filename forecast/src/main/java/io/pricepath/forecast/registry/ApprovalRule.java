package io.pricepath.forecast.registry;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The approval gate's rule: a candidate is approved only if its backtest demand WAPE ({@value
 * #WAPE}) is no worse than the approved version's by more than {@code tolerance} (relative: {@code
 * 0.02} = 2 %) and strictly better than every baseline's ({@code wape_<baseline>}, see {@link
 * BacktestMetrics}). With no approved version, or one without a demand WAPE, only the baseline test
 * applies. Missing or non-numeric figures reject the candidate: the gate never approves what it
 * cannot check.
 *
 * @param tolerance how much worse (relative) than the approved version's WAPE is still accepted;
 *     finite, &ge; 0
 * @param baselines the baseline models the candidate must beat, by their backtest names
 */
public record ApprovalRule(double tolerance, List<String> baselines) {

  /** Metric key of the primary model's backtest demand WAPE. */
  public static final String WAPE = "wape";

  /** Relative differences this small are rounding, not a change (10⁻⁹). */
  private static final double EPSILON = 1e-9;

  /** Backtest name of the recent-mean naive baseline. */
  public static final String RECENT_MEAN = "recent_mean";

  /** Backtest name of the per-series log-log price-elasticity baseline. */
  public static final String LOGLOG_ELASTICITY = "loglog_elasticity";

  public ApprovalRule {
    if (!Double.isFinite(tolerance) || tolerance < 0) {
      throw new IllegalArgumentException(
          "approval tolerance (%s) must be a finite share >= 0 (0.02 = 2 %%)".formatted(tolerance));
    }
    Objects.requireNonNull(baselines, "baselines");
    for (String b : baselines) {
      if (b == null || b.isBlank()) {
        throw new IllegalArgumentException(
            "approval baselines (%s) must be backtest model names, not blank".formatted(baselines));
      }
    }
    baselines = List.copyOf(baselines);
  }

  /**
   * The rule: within {@code tolerance} of the approved version, better than both baselines.
   */
  public static ApprovalRule of(double tolerance) {
    return new ApprovalRule(tolerance, List.of(RECENT_MEAN, LOGLOG_ELASTICITY));
  }

  /** Metric key of baseline {@code name}'s demand WAPE: {@code wape_<name>}. */
  public static String baselineKey(String name) {
    return WAPE + "_" + name;
  }

  /**
   * Decides about a candidate from its backtest metrics and, when there is one, the approved
   * version's.
   */
  public Decision decide(Map<String, Double> candidate, Optional<Map<String, Double>> approved) {
    return decide(candidate, approved, "the approved version");
  }

  /**
   * As {@link #decide(Map, Optional)}, naming the approved version {@code approvedName} in reasons.
   */
  Decision decide(
      Map<String, Double> candidate, Optional<Map<String, Double>> approved, String approvedName) {
    Objects.requireNonNull(candidate, "candidate");
    Objects.requireNonNull(approved, "approved");
    Double wape = candidate.get(WAPE);
    if (wape == null) {
      return new Decision(
          false,
          "the backtest metrics have no demand WAPE (\"%s\"; keys: %s)"
              .formatted(
                  WAPE,
                  candidate.isEmpty()
                      ? "none"
                      : String.join(", ", new java.util.TreeSet<>(candidate.keySet()))));
    }
    if (!Double.isFinite(wape)) {
      return new Decision(false, "demand WAPE is not a number (%s)".formatted(wape));
    }
    List<String> failures = new ArrayList<>();
    List<String> passes = new ArrayList<>();

    Double reference = approved.map(m -> m.get(WAPE)).filter(Double::isFinite).orElse(null);
    String comparison = null;
    if (reference != null) {
      String ref = "%s's %s".formatted(approvedName, num(reference));
      double worse =
          reference > 0 ? (wape - reference) / reference : wape > 0 ? Double.POSITIVE_INFINITY : 0;
      if (worse > tolerance + EPSILON) {
        failures.add(
            "demand WAPE %s is worse than %s by %s (tolerance %s)"
                .formatted(num(wape), ref, pct(worse), pct(tolerance)));
      } else if (worse > EPSILON) {
        comparison =
            "is worse than %s by only %s (tolerance %s)".formatted(ref, pct(worse), pct(tolerance));
      } else if (worse < -EPSILON) {
        comparison = "is better than %s by %s".formatted(ref, pct(-worse));
      } else {
        comparison = "matches %s".formatted(ref);
      }
    } else {
      comparison =
          approved.isPresent()
              ? "%s has no demand WAPE to compare with".formatted(approvedName)
              : "there is no approved version to compare with";
    }

    for (String baseline : baselines) {
      String key = baselineKey(baseline);
      Double value = candidate.get(key);
      String name = baselineName(baseline);
      if (value == null || !Double.isFinite(value)) {
        failures.add(
            "the backtest metrics have no %s baseline WAPE (\"%s\"%s)"
                .formatted(name, key, value == null ? "" : " is " + value));
      } else if (!(wape < value)) {
        failures.add(
            "demand WAPE %s does not beat the %s baseline (%s)"
                .formatted(num(wape), name, num(value)));
      } else {
        passes.add("the %s baseline (%s)".formatted(name, num(value)));
      }
    }
    if (!failures.isEmpty()) {
      return new Decision(false, String.join("; ", failures));
    }
    StringBuilder reason = new StringBuilder("demand WAPE ").append(num(wape));
    if (!passes.isEmpty()) {
      reason.append(" beats ").append(String.join(" and ", passes));
    }
    if (reference != null) {
      reason.append(passes.isEmpty() ? " " : " and ").append(comparison);
    } else {
      reason.append("; ").append(comparison);
    }
    return new Decision(true, reason.toString());
  }

  /** How people call a baseline: {@code recent-mean}, {@code log-log elasticity}, or its name. */
  static String baselineName(String baseline) {
    return switch (baseline) {
      case RECENT_MEAN -> "recent-mean";
      case LOGLOG_ELASTICITY -> "log-log elasticity";
      default -> baseline.replace('_', '-');
    };
  }

  static String num(double value) {
    return String.format(Locale.ROOT, "%.3f", value);
  }

  static String pct(double share) {
    return String.format(Locale.ROOT, "%.1f %%", 100 * share);
  }
}
