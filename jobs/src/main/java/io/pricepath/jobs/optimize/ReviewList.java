package io.pricepath.jobs.optimize;

import static org.apache.spark.sql.functions.col;

import io.pricepath.contract.Columns;
import io.pricepath.features.PlanState;
import io.pricepath.jobs.config.RunConfig;
import io.pricepath.jobs.optimize.MarkdownOptimization.Planned;
import java.io.Serializable;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * The run's review list, on Spark: every plan's {@link Review.Verdict} is known, then one pass
 * collects the stakes (one number per plan with a reason), {@link Review#threshold} cuts the list
 * at {@code review.stake-coverage} of all the money at stake, and the plans are flagged. The
 * summary keeps how the list was cut and its {@value #TOP} largest, for the manifest and the run
 * page.
 */
public final class ReviewList {
  /** The review list's length kept in the summary (the recommendations flag every one). */
  static final int TOP = 50;

  /** The coverages whose list length the summary reports, for choosing {@code review.stake-coverage}. */
  static final double[] CURVE = {0.5, 0.8, 0.9, 0.95, 1.0};

  private ReviewList() {}

  /** A flagged plan with its stake and reasons. */
  public record Flagged(String articleId, String market, double stake, List<Review.Reason> reasons)
      implements Serializable {}

  /**
   * How the list was cut, and its head.
   *
   * @param threshold the stake from which a plan is flagged (+∞: nothing at stake)
   * @param coverage the share of all the money at stake the flagged plans hold at least
   * @param candidates plans with at least one reason
   * @param flagged plans flagged (overrides included)
   * @param stakeTotal money at stake over all plans
   * @param stakeFlagged money at stake of the flagged plans
   * @param plansToCover how many plans other coverages would flag (overrides aside), by coverage
   * @param top the first {@value #TOP} flagged plans, largest stake first
   */
  public record Summary(double threshold, double coverage, long candidates, long flagged, double stakeTotal,
      double stakeFlagged, Map<Double, Long> plansToCover, List<Flagged> top) implements Serializable {}

  /** The plans, flagged (cached), and the summary. */
  record Cut(JavaRDD<Planned> planned, Summary summary) {}

  /** Flags {@code evaluated} (plans with their verdicts) by the run's stake threshold. */
  static Cut cut(JavaRDD<Planned> evaluated, RunConfig.ReviewConfig config) {
    // one number and one flag per plan with a reason: the cut and its figures are the driver's work
    List<Review.Verdict> candidates = evaluated.filter(p -> !p.verdict().reasons().isEmpty())
        .map(p -> new Review.Verdict(List.of(p.verdict().reasons().get(0)), p.verdict().override())).collect();
    double[] stakes = candidates.stream().mapToDouble(Review.Verdict::stake).toArray();
    double threshold = Review.threshold(stakes, config.stakeCoverage());
    Map<Double, Long> curve = new TreeMap<>();
    for (double coverage : CURVE) {
      curve.put(coverage, Review.plansToCover(stakes, coverage));
    }
    long flagged = candidates.stream().filter(v -> v.flagged(threshold)).count();
    double stakeFlagged = candidates.stream().filter(v -> v.flagged(threshold)).mapToDouble(Review.Verdict::stake).sum();
    JavaRDD<Planned> planned = evaluated.map(p -> p.flagged(threshold)).cache();
    List<Flagged> top = planned.filter(Planned::review)
        .map(p -> new Flagged(p.articleId(), p.market(), p.verdict().stake(), p.verdict().reasons()))
        .takeOrdered(TOP, new ByStake());
    Summary summary = new Summary(threshold, config.stakeCoverage(), stakes.length, flagged, Arrays.stream(stakes).sum(),
        stakeFlagged, curve, top);
    return new Cut(planned, summary);
  }

  /**
   * The histories a review reason rests on — thin (fewer than {@code review.thin-history-weeks}
   * weeks of sales) or volatile ({@code review.volatile-cv}) — by key (article|market); a few rows
   * of the plan state, for a broadcast.
   */
  static Map<String, Review.History> uncertainHistories(Dataset<Row> planState, RunConfig.ReviewConfig config) {
    List<String> columns = Arrays.asList(planState.columns());
    if (!columns.contains(PlanState.HISTORY_WEEKS) || !columns.contains(PlanState.HISTORY_CV)) {
      return Map.of();  // a plan state written before the columns existed: no history known
    }
    Map<String, Review.History> uncertain = new HashMap<>();
    for (Row r : planState.where(col(PlanState.HISTORY_WEEKS).lt(config.thinHistoryWeeks())
            .or(col(PlanState.HISTORY_CV).geq(config.volatileCv())))
        .select(col(Columns.ARTICLE_ID), col(Columns.MARKET), col(PlanState.HISTORY_WEEKS), col(PlanState.HISTORY_CV))
        .collectAsList()) {
      uncertain.put(r.getString(0) + "|" + r.getString(1),
          new Review.History(r.getInt(2), r.isNullAt(3) ? Double.NaN : r.getDouble(3)));
    }
    return uncertain;
  }

  /** Largest stake first, then by article and market (a stable order for equal stakes). */
  static final class ByStake implements Comparator<Flagged>, Serializable {
    @Override
    public int compare(Flagged a, Flagged b) {
      int byStake = Double.compare(b.stake(), a.stake());
      return byStake != 0 ? byStake : (a.articleId() + "|" + a.market()).compareTo(b.articleId() + "|" + b.market());
    }
  }
}
