package io.pricepath.jobs.optimize;

import io.pricepath.jobs.config.RunConfig;
import io.pricepath.optimizer.article.ArticleProblem;
import io.pricepath.optimizer.article.PathOutcome;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/**
 * Why one article-market's plan deserves a person's look, and how much money rides on each reason,
 * so that a pricing manager reads the list from the top. Every reason carries its stake, in the
 * market's money over the horizon:
 *
 * <ul>
 *   <li><b>uncertain forecast</b> (a new article or thin history: fewer than {@code
 *       review.thin-history-weeks} weeks of sales; or a volatile one: weekly sales whose standard
 *       deviation reaches {@code review.volatile-cv} times their mean): the expected revenue times
 *       {@code review.uncertain-error}, the share of it such a forecast can miss;
 *   <li><b>departs from the live price</b> (the first week's discount is not the live one): the
 *       markdown money the plan moves against keeping the live discount, |Σ (d − live) × black price
 *       × units|;
 *   <li><b>deep markdown</b> (reaches {@code review.deep-discount}): the markdown money given, Σ d ×
 *       black price × units;
 *   <li><b>stock at risk</b> (more than {@code review.stock-left-share} of the stock left after the
 *       horizon): the stock left times what its last price holds above its residual value;
 *   <li><b>targets cost profit</b>: the profit the company-wide targets take from this article
 *       against keeping the live price;
 *   <li>a <b>manager override</b> is always listed, with no stake of its own (the manager decided).
 * </ul>
 *
 * A plan's stake is its largest reason's (the reasons overlap: a deep markdown also departs from the
 * live price). Which plans are flagged is decided over the whole run by {@link #threshold}: the
 * fewest, largest stakes that together hold {@code review.stake-coverage} of all the money at stake.
 * Plain numerics: no Spark.
 */
public final class Review {
  private Review() {}

  /**
   * What the history before the plan week says of a forecast's footing.
   *
   * @param weeks weeks with sales
   * @param cv the weekly units' standard deviation over their mean, recent weeks (NaN: unknown)
   */
  public record History(int weeks, double cv) implements Serializable {}

  /** One reason to look, and its money at stake. */
  public record Reason(String text, double stake) implements Serializable {}

  /**
   * The reasons to look at one plan, largest stake first.
   *
   * @param override the manager locked weeks of this plan
   */
  public record Verdict(List<Reason> reasons, boolean override) implements Serializable {
    public static final Verdict NONE = new Verdict(List.of(), false);

    /** The largest stake of its reasons (0 without any). */
    public double stake() {
      return reasons.isEmpty() ? 0 : reasons.get(0).stake();
    }

    /** Whether it is flagged when the run's threshold is {@code threshold}. */
    public boolean flagged(double threshold) {
      return override || (!reasons.isEmpty() && stake() > 0 && stake() >= threshold);
    }

    /** The reasons as one line, e.g. "deep markdown: reaches 50 % (1,204 of markdown); …". */
    public String text() {
      return String.join("; ", reasons.stream().map(Reason::text).toList());
    }
  }

  /**
   * The reasons to look at {@code plan}.
   *
   * @param p the article-market's problem
   * @param plan its chosen path, evaluated
   * @param live keeping the live discount all horizon, evaluated
   * @param history the article-market's sales history (null: not known, or nothing to say)
   * @param overrideReason the manager's reason for the locked weeks, if any
   */
  public static Verdict of(ArticleProblem p, PathOutcome plan, PathOutcome live, RunConfig.ReviewConfig config,
      History history, String overrideReason) {
    List<Reason> reasons = new ArrayList<>();
    int weeks = p.weeks();
    double revenue = Arrays.stream(plan.revenue()).sum();
    double uncertain = revenue * config.uncertainError();
    if (history != null && history.weeks() < config.thinHistoryWeeks()) {
      reasons.add(new Reason(history.weeks() == 0
          ? format("new article: no sales history yet, forecast least certain (%s of revenue uncertain)", money(uncertain))
          : format("thin history: %d weeks of sales, forecast least certain (%s of revenue uncertain)",
              history.weeks(), money(uncertain)), uncertain));
    } else if (history != null && history.cv() >= config.volatileCv()) {
      reasons.add(new Reason(format("volatile history: weekly sales vary by %.0f %% of their mean, forecast least "
          + "certain (%s of revenue uncertain)", 100 * history.cv(), money(uncertain)), uncertain));
    }
    double liveDiscount = p.ladder()[Math.max(0, Math.min(p.ladder().length - 1, p.rules().liveLevel()))];
    double moved = 0;
    double markdown = 0;
    for (int t = 0; t < weeks; t++) {
      moved += (plan.discount()[t] - liveDiscount) * p.blackPrice()[t] * plan.units()[t];
      markdown += plan.discount()[t] * p.blackPrice()[t] * plan.units()[t];
    }
    if (Math.abs(plan.discount()[0] - liveDiscount) > 1e-9) {
      reasons.add(new Reason(format("departs from the live price: %.0f %% now, %.0f %% live (%s of markdown moved)",
          100 * plan.discount()[0], 100 * liveDiscount, money(Math.abs(moved))), Math.abs(moved)));
    }
    double deepest = Arrays.stream(plan.discount()).max().orElse(0);
    if (deepest >= config.deepDiscount() - 1e-9) {
      reasons.add(new Reason(format("deep markdown: reaches %.0f %% (%s of markdown)", 100 * deepest, money(markdown)),
          markdown));
    }
    double start = p.startStock();
    double end = plan.stockEnd()[weeks - 1];
    if (Double.isFinite(start) && start > 0 && end / start > config.stockLeftShare()) {
      double atRisk = end * Math.max(0, plan.price()[weeks - 1] - p.residualValue());
      reasons.add(new Reason(format("stock at risk: %.0f %% of stock left after the horizon (%s above its residual "
          + "value)", 100 * end / start, money(atRisk)), atRisk));
    }
    double cost = live.totalProfit() - plan.totalProfit();
    if (cost > 1e-6 * Math.abs(live.totalProfit()) + 1e-9) {
      reasons.add(new Reason(format("company targets cost %s profit against keeping the live price", money(cost)),
          cost));
    }
    reasons.sort(Comparator.comparingDouble(Reason::stake).reversed());
    boolean override = Arrays.stream(p.rules().locked()).anyMatch(level -> level >= 0);
    if (override) {
      reasons.add(0, new Reason(overrideReason == null || overrideReason.isBlank() ? "manager override"
          : "manager override: " + overrideReason, reasons.isEmpty() ? 0 : reasons.get(0).stake()));
    }
    return new Verdict(List.copyOf(reasons), override);
  }

  /**
   * The stake from which a plan is flagged: the smallest of the fewest largest {@code stakes} that
   * together hold at least {@code coverage} of their sum; +∞ when there is nothing at stake.
   */
  public static double threshold(double[] stakes, double coverage) {
    double[] sorted = Arrays.stream(stakes).filter(s -> s > 0 && Double.isFinite(s)).sorted().toArray();
    double total = Arrays.stream(sorted).sum();
    if (total <= 0) {
      return Double.POSITIVE_INFINITY;
    }
    double held = 0;
    for (int i = sorted.length - 1; i >= 0; i--) {
      held += sorted[i];
      if (held >= coverage * total - 1e-9 * total) {
        return sorted[i];
      }
    }
    return sorted[0];
  }

  /**
   * How many of the largest {@code stakes} it takes to hold {@code coverage} of their sum: what a
   * given {@code review.stake-coverage} would flag.
   */
  public static long plansToCover(double[] stakes, double coverage) {
    double threshold = threshold(stakes, coverage);
    return Arrays.stream(stakes).filter(s -> s > 0 && s >= threshold).count();
  }

  private static String format(String pattern, Object... args) {
    return String.format(Locale.ROOT, pattern, args);
  }

  private static String money(double value) {
    return String.format(Locale.ROOT, "%,.0f", value);
  }
}
