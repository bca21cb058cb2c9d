package io.pricepath.optimizer.lagrangian;

import io.pricepath.optimizer.article.ArticleProblem;
import io.pricepath.optimizer.article.CouplingWeights;
import io.pricepath.optimizer.article.PathSummary;
import java.io.Serializable;
import java.util.List;
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
 * @param penalty {@code NaN} for a hard row (a plan must meet it; when no plan can, the
 *     decomposition returns the least-violating plan marked infeasible), or, for a soft row, the
 *     profit given up per unit of violation ({@code Σ_a g_a − rhs}, in the row's unit: money for
 *     rate, budget and revenue rows, units for sell-through rows); finite and &ge; 0
 * @param carried what was already realised outside the plan towards this row, in the row's {@code
 *     g} (e.g. the season to date: {@code Σ (d − hi)·p0·s} of past weeks for a rate cap); the plan
 *     must meet {@code Σ_a g_a ≤ rhs − carried}, see {@link #rhs()}; 0 for none, finite
 */
public record CouplingRow(
    String name, String market, String category, Kind kind, double target, int week, double penalty, double carried)
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
    if (!Double.isNaN(penalty) && !(penalty >= 0 && penalty < Double.POSITIVE_INFINITY)) {
      throw new IllegalArgumentException(
          "penalty of coupling row %s must be NaN (hard) or finite and >= 0 (%s)".formatted(name, penalty));
    }
    if (!Double.isFinite(carried)) {
      throw new IllegalArgumentException("carried of coupling row %s must be finite (%s)".formatted(name, carried));
    }
  }

  /** A row, hard or soft ({@code penalty}), with nothing carried. */
  public CouplingRow(String name, String market, String category, Kind kind, double target, int week, double penalty) {
    this(name, market, category, kind, target, week, penalty, 0);
  }

  /** A hard row: every plan must meet it. */
  public CouplingRow(String name, String market, String category, Kind kind, double target, int week) {
    this(name, market, category, kind, target, week, Double.NaN, 0);
  }

  /** This row made soft: a plan may violate it at {@code penalty} profit per unit of violation. */
  public CouplingRow soft(double penalty) {
    if (Double.isNaN(penalty)) {
      throw new IllegalArgumentException("Cannot soften coupling row %s: the penalty is NaN".formatted(name));
    }
    return new CouplingRow(name, market, category, kind, target, week, penalty, carried);
  }

  /**
   * This row with {@code carried} already realised towards it outside the plan, and {@code name}:
   * the plan must then meet {@code Σ_a g_a ≤ rhs − carried}.
   */
  public CouplingRow carrying(String name, double carried) {
    return new CouplingRow(name, market, category, kind, target, week, penalty, carried);
  }

  /** Whether a plan may violate this row at a penalty. */
  public boolean isSoft() {
    return !Double.isNaN(penalty);
  }

  /** Right-hand side of {@code Σ_a g_a ≤ rhs} for the plan's articles, less what is {@link #carried()}. */
  public double rhs() {
    double rhs = switch (kind) {
      case MARKDOWN_BUDGET -> target;
      case REVENUE_MIN -> -target;
      default -> 0.0;
    };
    return rhs - carried;
  }

  /**
   * Whether article {@code p} takes part in this row: same market, the row's category (any when
   * the row has none), a week inside the article's horizon, and, for sell-through rows, finite
   * stock.
   */
  public boolean appliesTo(ArticleProblem p) {
    return market.equals(p.market())
        && (category == null || category.equals(p.category()))
        && week < p.weeks()
        && (kind != Kind.SELL_THROUGH_MIN || p.startStock() != Double.POSITIVE_INFINITY);
  }

  /**
   * The article's {@code g} in this row for path {@code s}: the sum over the row's weeks (only
   * {@code week} when it is &ge; 0) of the kind's term; sell-through rows add {@code τ·S_1} once.
   * 0 when the row does not apply to the article.
   */
  public double contribution(ArticleProblem p, PathSummary s) {
    if (!appliesTo(p)) {
      return 0;
    }
    int from = week >= 0 ? week : 0;
    int to = week >= 0 ? week : p.weeks() - 1;
    double g = kind == Kind.SELL_THROUGH_MIN ? target * p.startStock() : 0;
    for (int t = from; t <= to; t++) {
      double discount = s.discountValue()[t];
      double gross = s.grossValue()[t];
      g += switch (kind) {
        case DISCOUNT_RATE_MAX -> discount - target * gross;
        case DISCOUNT_RATE_MIN -> target * gross - discount;
        case MARKDOWN_BUDGET -> discount;
        case REVENUE_MIN -> discount - gross;
        case SELL_THROUGH_MIN -> -s.units()[t];
      };
    }
    return g;
  }

  /**
   * The coupling weights that multipliers {@code lambda} (one per row of {@code rows}) put on an
   * article taking part in rows {@code articleRows} over {@code weeks} weeks: the article's
   * objective {@code profit − Σ_i λ_i·g_i} equals {@code profit − Σ_t [(A_t + B_t·d_t)·p0_t·s_t +
   * C_t·s_t]} up to a constant (the sell-through rows' {@code τ·S_1}).
   */
  public static CouplingWeights weights(List<CouplingRow> rows, int[] articleRows, double[] lambda, int weeks) {
    if (lambda.length != rows.size()) {
      throw new IllegalArgumentException(
          "Cannot price coupling rows: %d multipliers for %d rows".formatted(lambda.length, rows.size()));
    }
    double[] a = new double[weeks];
    double[] b = new double[weeks];
    double[] c = new double[weeks];
    for (int i : articleRows) {
      double l = lambda[i];
      CouplingRow row = rows.get(i);
      if (l == 0 || row.week >= weeks) {
        continue;
      }
      double ra = 0;
      double rb = 0;
      double rc = 0;
      switch (row.kind) {
        case DISCOUNT_RATE_MAX -> {
          ra = -row.target;
          rb = 1;
        }
        case DISCOUNT_RATE_MIN -> {
          ra = row.target;
          rb = -1;
        }
        case MARKDOWN_BUDGET -> rb = 1;
        case REVENUE_MIN -> {
          ra = -1;
          rb = 1;
        }
        case SELL_THROUGH_MIN -> rc = -1;
      }
      int from = row.week >= 0 ? row.week : 0;
      int to = row.week >= 0 ? row.week : weeks - 1;
      for (int t = from; t <= to; t++) {
        a[t] += l * ra;
        b[t] += l * rb;
        c[t] += l * rc;
      }
    }
    return new CouplingWeights(a, b, c);
  }
}
