package io.pricepath.optimizer.lagrangian;

import java.io.Serializable;
import java.util.Objects;

/**
 * One company-wide (coupling) constraint over the articles of a market, optionally of one
 * category, over the horizon or one week. Every row is kept in the form {@code Σ_a g_a ≤ rhs}:
 *
 * <ul>
 *   <li>{@link Kind#DISCOUNT_RATE_MAX} (target hi): {@code g = Σ (d − hi)·p0·s}, rhs 0
 *   <li>{@link Kind#DISCOUNT_RATE_MIN} (target lo): {@code g = Σ (lo − d)·p0·s}, rhs 0
 *   <li>{@link Kind#MARKDOWN_BUDGET} (target B): {@code g = Σ d·p0·s}, rhs B
 *   <li>{@link Kind#REVENUE_MIN} (target G): {@code g = −Σ (1 − d)·p0·s}, rhs −G
 *   <li>{@link Kind#SELL_THROUGH_MIN} (target τ): {@code g = τ·S_1 − Σ s}, rhs 0 (articles with
 *       unconstrained stock do not take part)
 * </ul>
 *
 * @param name readable name used in reports, e.g. {@code DE discount-rate<=0.25}
 * @param market market the row covers
 * @param category category the row covers, or null for all
 * @param kind what is constrained
 * @param target the row's target (hi, lo, B, G or τ)
 * @param week week index the row covers, or -1 for the whole horizon
 */
public record CouplingRow(String name, String market, String category, Kind kind, double target, int week)
    implements Serializable {

  /** What a coupling row constrains. */
  public enum Kind {
    DISCOUNT_RATE_MAX,
    DISCOUNT_RATE_MIN,
    MARKDOWN_BUDGET,
    REVENUE_MIN,
    SELL_THROUGH_MIN
  }

  public CouplingRow {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(market, "market");
    Objects.requireNonNull(kind, "kind");
    if (!Double.isFinite(target)) {
      throw new IllegalArgumentException("target of coupling row %s must be finite (%s)".formatted(name, target));
    }
    if ((kind == Kind.DISCOUNT_RATE_MAX || kind == Kind.DISCOUNT_RATE_MIN || kind == Kind.SELL_THROUGH_MIN)
        && (target < 0 || target > 1)) {
      throw new IllegalArgumentException(
          "target of coupling row %s must be a fraction in [0, 1] (%s)".formatted(name, target));
    }
    if (week < -1) {
      throw new IllegalArgumentException("week of coupling row %s must be >= -1 (%d)".formatted(name, week));
    }
  }

  /** Right-hand side of {@code Σ_a g_a ≤ rhs}. */
  public double rhs() {
    return switch (kind) {
      case MARKDOWN_BUDGET -> target;
      case REVENUE_MIN -> -target;
      default -> 0.0;
    };
  }
}
