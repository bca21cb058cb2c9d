package io.pricepath.jobs.weekly;

import com.fasterxml.jackson.databind.JsonNode;
import io.pricepath.jobs.steps.Progress;
import io.pricepath.jobs.steps.StepRunner;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * What a weekly run did, for the console and for callers (tests, schedulers).
 *
 * @param steps each step's outcome, in order
 * @param optimize the optimize step's figures (null when the run stopped before it)
 * @param models the serving model set and this run's candidate (null when the run stopped before)
 * @param millis wall time of the whole run
 * @param exportFile the manager CSV, or null
 */
public record RunSummary(
    List<StepRunner.Outcome> steps, JsonNode optimize, JsonNode models, long millis, String exportFile) {

  static RunSummary of(List<StepRunner.Outcome> steps, JsonNode optimize, JsonNode models, long millis,
      String exportFile) {
    return new RunSummary(List.copyOf(steps), optimize, models, millis, exportFile);
  }

  static RunSummary partial(List<StepRunner.Outcome> steps, long millis) {
    return new RunSummary(List.copyOf(steps), null, null, millis, null);
  }

  /** Whether every step that ran reused an earlier run's output. */
  public boolean allReused() {
    return steps.stream().allMatch(StepRunner.Outcome::reused);
  }

  /** Whether the optimizer could not meet every company-wide target (the plan violates the least it could). */
  public boolean targetsMissed() {
    return optimize != null && !optimize.path("decomposition").path("feasible").asBoolean(true);
  }

  private static String shortVersion(String version) {
    return version.length() > 8 ? version.substring(0, 8) : version;
  }

  /**
   * The optimality gap of the plan, or NaN when the run stopped before optimizing; infinite when
   * there is none (the manifest's gap is null then, with the reason in {@code gap_undefined}).
   */
  public double gap() {
    if (optimize == null) {
      return Double.NaN;
    }
    JsonNode gap = optimize.path("decomposition").path("gap");
    return gap.isNumber() ? gap.asDouble() : Double.POSITIVE_INFINITY;
  }

  /** The summary a user reads at the end of a weekly run. */
  public String render() {
    return render("pricepath weekly run");
  }

  /** The summary a user reads at the end of a run, under {@code title}. */
  public String render(String title) {
    List<String> lines = new ArrayList<>();
    lines.add("");
    lines.add("== %s ==".formatted(title));
    if (optimize != null) {
      JsonNode d = optimize.path("decomposition");
      lines.add("articles priced: %,d (article × market)".formatted(d.path("article_markets").asLong()));
      lines.add("");
      lines.add("%-8s %9s %10s %14s %16s %12s %12s %8s".formatted(
          "market", "articles", "avg disc.", "exp. profit", "vs live price", "sell-thru", "returns due", "review"));
      Iterator<Map.Entry<String, JsonNode>> markets = optimize.path("markets").fields();
      double profit = 0;
      double baseline = 0;
      while (markets.hasNext()) {
        var e = markets.next();
        JsonNode m = e.getValue();
        double start = m.path("stockStart").asDouble();
        double end = m.path("stockEnd").asDouble();
        String sellThrough = start > 0 ? "%.1f %%".formatted(100 * (start - end) / start) : "n/a";
        double gain = m.path("profit").asDouble() - m.path("baselineProfit").asDouble();
        lines.add("%-8s %,9d %9.1f%% %,14.0f %+,16.0f %12s %,12.0f %,8d".formatted(
            e.getKey(), m.path("articles").asLong(), 100 * m.path("average_discount").asDouble(),
            m.path("profit").asDouble(), gain, sellThrough, m.path("returnsDue").asDouble(),
            m.path("review").asLong()));
        profit += m.path("profit").asDouble();
        baseline += m.path("baselineProfit").asDouble();
      }
      lines.add("expected profit %,.0f against %,.0f keeping the live discounts (%+.1f %%)".formatted(
          profit, baseline, baseline != 0 ? 100 * (profit - baseline) / Math.abs(baseline) : 0));
      JsonNode review = optimize.path("review");
      if (review.has("flagged")) {
        lines.add("review: %,d of %,d article-markets flagged, holding %,.0f of the %,.0f money at stake; the report page lists them largest first"
            .formatted(review.path("flagged").asLong(), review.path("article_markets").asLong(),
                review.path("stake_flagged").asDouble(), review.path("stake_total").asDouble()));
      }
      lines.add("");
      String gap = d.path("gap").isNumber() ? "%.3f %%".formatted(100 * Math.max(0, d.path("gap").asDouble()))
          : "undefined (" + d.path("gap_undefined").asText("no finite bound") + ")";
      lines.add("optimizer: primal %,.0f, dual bound %,.0f, gap %s after %d iterations%s".formatted(
          d.path("primal_objective").asDouble(), d.path("dual_bound").asDouble(), gap,
          d.path("iterations").asInt(), d.path("feasible").asBoolean() ? "" : " — NOT ALL TARGETS MET"));
      if (d.path("pooled_articles").asLong() > 0) {
        lines.add("  shared stock: %,d articles priced jointly across their pool's markets, %.1f ms mean per exact solve"
            .formatted(d.path("pooled_articles").asLong(), d.path("pooled_mean_solve_millis").asDouble()));
      }
      for (JsonNode row : d.path("coupling_rows")) {
        lines.add("  %-40s %s".formatted(row.path("name").asText(),
            row.path("met").asBoolean() ? "met" : "MISSED by %,.2f".formatted(row.path("violation").asDouble())));
      }
    }
    if (optimize != null && !optimize.path("override_warnings").isEmpty()) {
      lines.add("");
      lines.add("overrides:");
      for (JsonNode warning : optimize.path("override_warnings")) {
        lines.add("  warning: " + warning.asText());
      }
    }
    if (models != null && models.has("serving")) {
      JsonNode s = models.path("serving");
      JsonNode b = s.path("backtest");
      lines.add("");
      lines.add("models: set %s trained for %s serves (%s)".formatted(
          shortVersion(s.path("version").asText()), s.path("plan_week").asText(), s.path("status").asText()));
      if (b.has("wape")) {
        lines.add("  backtest demand WAPE %.3f, bias %+.1f %%; baselines: recent mean %.3f, log-log elasticity %.3f"
            .formatted(b.path("wape").asDouble(), 100 * b.path("bias").asDouble(),
                b.path("wape_recent_mean").asDouble(), b.path("wape_loglog_elasticity").asDouble()));
      }
      JsonNode c = models.path("candidate");
      if (c.has("version")) {
        lines.add("  this run's candidate %s: %s — %s".formatted(shortVersion(c.path("version").asText()),
            c.path("status").asText(), c.path("reason").asText()));
      } else if (models.has("training")) {
        lines.add("  training " + models.path("training").asText());
      }
    }
    lines.add("");
    lines.add("steps:");
    for (StepRunner.Outcome step : steps) {
      String how = step.result() != null && step.result().has("skipped") ? "skipped"
          : step.reused() ? "reused" : Progress.duration(step.millis());
      lines.add("  %-11s %s".formatted(step.name(), how));
    }
    lines.add("total %s".formatted(Progress.duration(millis)));
    if (exportFile != null) {
      lines.add("manager CSV: " + exportFile);
      // the run's page lies beside the export folder: OUT/report.html
      String folder = exportFile.substring(0, Math.max(0, exportFile.lastIndexOf('/')));
      if (folder.endsWith("/" + Stages.EXPORT)) {
        lines.add("report page: " + folder.substring(0, folder.length() - Stages.EXPORT.length()) + RunReport.FILE);
      }
    }
    return String.join(System.lineSeparator(), lines);
  }
}
