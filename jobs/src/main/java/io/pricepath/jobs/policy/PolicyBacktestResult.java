package io.pricepath.jobs.policy;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * What a policy backtest found: per policy the realised season totals, week by week figures and
 * target adherence, and the share of the oracle's profit gain over the rule ladder that pricepath
 * captures.
 *
 * @param planWeek first week of the season (the dataset's plan week)
 * @param weeks weeks in the season
 * @param articleMarkets (article, market) pairs on sale at the plan week, simulated for every policy
 * @param expectedDemand whether the season was realised with expected demand instead of random draws
 * @param seed seed of the draws
 * @param policies one entry per policy, in the order of {@link Policy}
 * @param millis wall time of the whole backtest
 */
public record PolicyBacktestResult(
    LocalDate planWeek,
    int weeks,
    long articleMarkets,
    boolean expectedDemand,
    long seed,
    List<PolicyFigures> policies,
    long millis) {

  public PolicyBacktestResult {
    Objects.requireNonNull(planWeek, "planWeek");
    policies = List.copyOf(policies);
  }

  /**
   * One policy's season.
   *
   * @param policy the policy
   * @param totalProfit revenue − fulfillment cost + residual value of the stock left at the end
   * @param revenue price × (units − returns)
   * @param fulfillmentCost fulfillment cost of the sales
   * @param residualValue value of the stock left after the season and of the returns arriving after it
   * @param units gross units sold
   * @param returns units returned out of those sales
   * @param startingStock units on hand at the plan week
   * @param sellThrough units / starting stock
   * @param expectedTotalProfit total profit of the same decisions realised with expected demand
   *     (a noise-free figure of the discounts the policy chose)
   * @param weekly figures per week of the season
   * @param adherence realised sales-weighted discount rate per market against the configured bounds
   */
  public record PolicyFigures(
      Policy policy,
      double totalProfit,
      double revenue,
      double fulfillmentCost,
      double residualValue,
      double units,
      double returns,
      double startingStock,
      double sellThrough,
      double expectedTotalProfit,
      List<WeekFigures> weekly,
      List<MarketAdherence> adherence) {
    public PolicyFigures {
      Objects.requireNonNull(policy, "policy");
      weekly = List.copyOf(weekly);
      adherence = List.copyOf(adherence);
    }

    /** Whether the realised discount rate of every market is within its configured bounds. */
    public boolean targetsMet() {
      return adherence.stream().allMatch(MarketAdherence::met);
    }
  }

  /**
   * One week of a policy's season.
   *
   * @param week the week's Monday
   * @param profit revenue − fulfillment cost of the week (the last week adds the residual value)
   * @param revenue revenue of the week
   * @param units gross units sold
   * @param discountRate sales-weighted discount rate of the week, all markets (NaN without sales)
   * @param cumulativeProfit profit from the first week to this one
   * @param articlesOptimized (article, market) pairs the optimizer priced this week (0 for rule policies)
   * @param optimizerGap relative gap of the week's decomposition (NaN for rule policies)
   * @param targetsMet whether the week's plan met every coupling target over its horizon (true for
   *     rule policies, which plan none)
   */
  public record WeekFigures(
      LocalDate week,
      double profit,
      double revenue,
      double units,
      double discountRate,
      double cumulativeProfit,
      long articlesOptimized,
      double optimizerGap,
      boolean targetsMet) {}

  /**
   * The realised sales-weighted discount rate of one market (Σ discount × black price × units /
   * Σ black price × units) against the configured market-wide, horizon-wide discount-rate bounds.
   *
   * @param market the market
   * @param discountRate over the whole season (NaN without sales)
   * @param lower configured lower bound, NaN for none
   * @param upper configured upper bound, NaN for none
   * @param weeksWithin weeks with sales whose own rate is within the bounds
   * @param weeksWithSales weeks with sales
   */
  public record MarketAdherence(
      String market, double discountRate, double lower, double upper, int weeksWithin, int weeksWithSales) {

    /** Whether the season's rate is within the bounds (a tolerance of 0.01 percentage point). */
    public boolean met() {
      if (Double.isNaN(discountRate)) {
        return true;
      }
      return (Double.isNaN(lower) || discountRate >= lower - 1e-4)
          && (Double.isNaN(upper) || discountRate <= upper + 1e-4);
    }
  }

  /** The figures of {@code policy}. */
  public PolicyFigures figures(Policy policy) {
    return policies.stream().filter(p -> p.policy() == policy).findFirst().orElseThrow(
        () -> new IllegalArgumentException("Cannot find policy %s in this result".formatted(policy.label())));
  }

  /**
   * (pricepath − rule ladder) / (oracle − rule ladder) of realised total profit; NaN when the
   * oracle does not beat the ladder (no gain to capture).
   */
  public double capturedShare() {
    return share(figures(Policy.PRICEPATH).totalProfit(), figures(Policy.ORACLE).totalProfit(),
        figures(Policy.RULE_LADDER).totalProfit());
  }

  /** The same share on the expected total profit of the decisions each policy took. */
  public double capturedShareExpected() {
    return share(figures(Policy.PRICEPATH).expectedTotalProfit(), figures(Policy.ORACLE).expectedTotalProfit(),
        figures(Policy.RULE_LADDER).expectedTotalProfit());
  }

  private static double share(double pricepath, double oracle, double ladder) {
    double gain = oracle - ladder;
    return gain > 0 ? (pricepath - ladder) / gain : Double.NaN;
  }

  /** The console summary: one line per policy, then the captured share. */
  public String render() {
    List<String> lines = new ArrayList<>();
    lines.add("== pricepath policy backtest: %d weeks from %s, %,d article-markets, %s ==".formatted(
        weeks, planWeek, articleMarkets, expectedDemand ? "expected demand" : "demand drawn with seed " + seed));
    List<String> markets = policies.isEmpty() ? List.of()
        : policies.get(0).adherence().stream().map(MarketAdherence::market).toList();
    StringBuilder header = new StringBuilder(String.format(Locale.ROOT, "%-12s %14s %14s %12s %12s %10s %9s %14s",
        "policy", "total profit", "revenue", "fulfillment", "residual", "units", "sell-thru", "exp. profit"));
    for (String market : markets) {
      header.append(String.format(Locale.ROOT, "  %-16s", market + " disc. rate"));
    }
    lines.add(header.toString());
    for (PolicyFigures p : policies) {
      StringBuilder line = new StringBuilder(String.format(Locale.ROOT,
          "%-12s %,14.0f %,14.0f %,12.0f %,12.0f %,10.0f %7.1f %% %,14.0f", p.policy().label(), p.totalProfit(),
          p.revenue(), p.fulfillmentCost(), p.residualValue(), p.units(), 100 * p.sellThrough(),
          p.expectedTotalProfit()));
      for (MarketAdherence a : p.adherence()) {
        line.append(String.format(Locale.ROOT, "  %5.1f %% %-8s", 100 * a.discountRate(),
            a.met() ? "ok" : "MISSED"));
      }
      lines.add(line.toString());
    }
    if (!markets.isEmpty()) {
      lines.add("realised sales-weighted discount rate over the season against the configured bounds: "
          + String.join(", ", policies.get(0).adherence().stream().map(a -> a.market() + " " + bounds(a)).toList()));
    }
    PolicyFigures pricepath = figures(Policy.PRICEPATH);
    PolicyFigures oracle = figures(Policy.ORACLE);
    PolicyFigures ladder = figures(Policy.RULE_LADDER);
    lines.add(String.format(Locale.ROOT,
        "pricepath captures %s of the oracle's profit gain over the rule ladder: (%,.0f − %,.0f) / (%,.0f − %,.0f)",
        percent(capturedShare()), pricepath.totalProfit(), ladder.totalProfit(), oracle.totalProfit(),
        ladder.totalProfit()));
    lines.add("  on the expected profit of the same decisions: %s".formatted(percent(capturedShareExpected())));
    return String.join(System.lineSeparator(), lines);
  }

  static String bounds(MarketAdherence a) {
    if (Double.isNaN(a.lower()) && Double.isNaN(a.upper())) {
      return "none configured";
    }
    return String.format(Locale.ROOT, "%s ≤ rate ≤ %s", Double.isNaN(a.lower()) ? "0 %" : pct(a.lower()),
        Double.isNaN(a.upper()) ? "100 %" : pct(a.upper()));
  }

  private static String pct(double share) {
    return String.format(Locale.ROOT, "%.1f %%", 100 * share);
  }

  static String percent(double share) {
    return Double.isNaN(share) ? "n/a (the oracle does not beat the rule ladder)"
        : String.format(Locale.ROOT, "%.1f %%", 100 * share);
  }
}
