package io.pricepath.jobs.optimize;

import io.pricepath.jobs.config.RunConfig.CouplingConfig;
import io.pricepath.optimizer.lagrangian.CouplingRow;
import io.pricepath.optimizer.lagrangian.CouplingRow.Kind;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** Expands the configured company-wide targets into coupling rows, one per market unless pinned. */
final class CouplingRows {
  private CouplingRows() {}

  static List<CouplingRow> expand(List<CouplingConfig> configs, List<String> markets) {
    List<CouplingRow> rows = new ArrayList<>();
    for (CouplingConfig config : configs) {
      List<String> targets = config.market() == null ? markets : List.of(config.market());
      for (String market : targets) {
        CouplingRow row = row(config.kind(), config.target(), market, config.category(), config.week());
        rows.add(Double.isNaN(config.penalty()) ? row : row.soft(config.penalty()));
      }
    }
    return rows;
  }

  /**
   * The horizon-wide rows of {@code rows} made to hold over the season to date plus the horizon:
   * each carries what the season realised in its market (and category) before the plan week, in
   * the row's own terms — {@code Σ (d − hi)·p0·s} for a rate cap, {@code Σ (lo − d)·p0·s} for a
   * rate floor, the markdown spend {@code Σ d·p0·s} against a budget and the revenue {@code −Σ (1 −
   * d)·p0·s} against a revenue target. Rows of one week of the horizon, and sell-through rows
   * (relative to the stock at the plan week), stay as they are. {@code rows} unchanged without a
   * season.
   */
  static List<CouplingRow> seasonToDate(List<CouplingRow> rows, SeasonToDate season) {
    if (!season.active()) {
      return rows;
    }
    List<CouplingRow> out = new ArrayList<>(rows.size());
    for (CouplingRow row : rows) {
      if (row.week() >= 0 || row.kind() == Kind.SELL_THROUGH_MIN) {
        out.add(row);
        continue;
      }
      double[] past = season.realised(row.market(), row.category());
      double gross = past[0];
      double markdown = past[1];
      double carried = switch (row.kind()) {
        case DISCOUNT_RATE_MAX -> markdown - row.target() * gross;
        case DISCOUNT_RATE_MIN -> row.target() * gross - markdown;
        case MARKDOWN_BUDGET -> markdown;
        case REVENUE_MIN -> markdown - gross;
        case SELL_THROUGH_MIN -> 0;
      };
      out.add(row.carrying(row.name() + " (season from " + season.seasonStart() + ")", carried));
    }
    return out;
  }

  /** A market's markdown budget granted by {@code markdown-budget-vs-unconstrained}. */
  static CouplingRow budget(String market, double budget) {
    return row("markdown-budget", budget, market, null, -1);
  }

  static CouplingRow row(String kind, double target, String market, String category, int week) {
    Kind k = Kind.valueOf(kind.toUpperCase(Locale.ROOT).replace("-", "_"));
    String scope = market + (category == null ? "" : "/" + category) + (week < 0 ? "" : " week " + (week + 1));
    String what = switch (k) {
      case DISCOUNT_RATE_MAX -> "discount rate <= %.1f %%".formatted(100 * target);
      case DISCOUNT_RATE_MIN -> "discount rate >= %.1f %%".formatted(100 * target);
      case MARKDOWN_BUDGET -> "markdown spend <= %,.0f".formatted(target);
      case REVENUE_MIN -> "revenue >= %,.0f".formatted(target);
      case SELL_THROUGH_MIN -> "sell-through >= %.1f %%".formatted(100 * target);
    };
    return new CouplingRow(scope + ": " + what, market, category, k, target, week);
  }
}
