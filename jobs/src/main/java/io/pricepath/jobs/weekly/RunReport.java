package io.pricepath.jobs.weekly;

import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.sum;

import com.fasterxml.jackson.databind.JsonNode;
import io.pricepath.contract.Columns;
import io.pricepath.contract.Weeks;
import io.pricepath.report.Charts;
import io.pricepath.report.Html;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * {@code OUT/report.html}: the page a pricing manager opens first, one self-contained file (inline
 * SVG and CSS, no scripts, nothing fetched): per market the expected profit against keeping the
 * live discounts, every company-wide target with its value and bound, the optimizer's gap, the
 * model set that served with its backtest against the baselines, the discount rate, the mix of
 * discount levels and the stock left week by week, and the review list, worst first.
 */
final class RunReport {
  static final String FILE = "report.html";
  private static final String[] COLORS = {"#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b",
      "#e377c2", "#7f7f7f", "#bcbd22", "#17becf"};

  private RunReport() {}

  /** One market's week of the plan: units, sales-weighted discount and the stock left after it. */
  record Week(String market, LocalDate week, double units, double grossValue, double discountValue, double stockEnd) {
    double discountRate() {
      return grossValue > 0 ? discountValue / grossValue : Double.NaN;
    }
  }

  /** How many article-markets one market sells at one discount level in one week. */
  record Mix(String market, LocalDate week, double discount, long articles) {}

  /** A flagged article-market: the money at stake, and why (each reason with its own stake). */
  record Review(String article, String market, double stake, String reason) {}

  /** Gathers the page's figures from {@code recommendations} (a few rows per market and week) and writes it. */
  static void write(Dataset<Row> recommendations, LocalDate planWeek, int horizon, JsonNode optimizeResult,
      JsonNode models, String runId, Path file, FileSystem fs) throws IOException {
    List<Week> weeks = new ArrayList<>();
    for (Row r : recommendations.groupBy(Columns.MARKET, Columns.WEEK)
        .agg(sum("expected_units"), sum(col(Columns.BLACK_PRICE).multiply(col("expected_units"))),
            sum(col(Columns.DISCOUNT).multiply(col(Columns.BLACK_PRICE)).multiply(col("expected_units"))),
            sum(coalesce(col("stock_end"), lit(0.0))))
        .collectAsList()) {
      weeks.add(new Week(r.getString(0), Weeks.toLocalDate(r.get(1)), r.getDouble(2), r.getDouble(3), r.getDouble(4),
          r.getDouble(5)));
    }
    List<Mix> mix = new ArrayList<>();
    for (Row r : recommendations.groupBy(Columns.MARKET, Columns.WEEK, Columns.DISCOUNT).agg(count(lit(1)))
        .collectAsList()) {
      mix.add(new Mix(r.getString(0), Weeks.toLocalDate(r.get(1)), r.getDouble(2), r.getLong(3)));
    }
    // the optimize step ranked the flagged plans by money at stake and kept the first ones
    List<Review> review = new ArrayList<>();
    for (JsonNode item : optimizeResult.path("review").path("top")) {
      List<String> reasons = new ArrayList<>();
      item.path("reasons").forEach(r -> reasons.add(r.path("reason").asText()));
      review.add(new Review(item.path("article_id").asText(), item.path("market").asText(),
          item.path("stake").asDouble(), String.join("; ", reasons)));
    }
    long flaggedCount = optimizeResult.path("review").path("flagged").asLong();
    String html = html(runId, planWeek, horizon, optimizeResult, models, weeks, mix, review, flaggedCount);
    try (OutputStream out = fs.create(file, true)) {
      out.write(html.getBytes(StandardCharsets.UTF_8));
    }
  }

  /** The page, from figures alone. */
  static String html(String runId, LocalDate planWeek, int horizon, JsonNode optimizeResult, JsonNode models,
      List<Week> weeks, List<Mix> mix, List<Review> review, long flaggedCount) {
    StringBuilder h = new StringBuilder();
    h.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>pricepath run ")
        .append(Html.escape(runId)).append("</title><style>")
        .append("body{font-family:system-ui,sans-serif;margin:24px;color:#222;max-width:1200px}")
        .append("table{border-collapse:collapse;margin:8px 0}td,th{padding:4px 10px;text-align:right;")
        .append("border-bottom:1px solid #ddd}th:first-child,td:first-child{text-align:left}")
        .append(".left{text-align:left}.miss{color:#c00;font-weight:bold}.note{color:#666;font-size:13px}")
        .append(".grid{display:flex;flex-wrap:wrap;gap:12px}</style></head><body>\n");
    JsonNode d = optimizeResult.path("decomposition");
    h.append("<h1>Markdown plan ").append(Html.escape(runId)).append("</h1>\n<p>Plan week ").append(planWeek)
        .append(", ").append(horizon).append(" weeks, ")
        .append(String.format(Locale.ROOT, "%,d", d.path("article_markets").asLong()))
        .append(" article-markets priced. ").append(gap(d)).append("</p>\n");

    h.append("<h2>Markets</h2>\n<table><tr><th>market</th><th>articles</th><th>avg. discount</th>")
        .append("<th>expected profit</th><th>vs live discounts</th><th>sell-through</th><th>returns due</th>")
        .append("<th>to review</th></tr>\n");
    for (Iterator<Map.Entry<String, JsonNode>> it = optimizeResult.path("markets").fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      JsonNode m = e.getValue();
      double start = m.path("stockStart").asDouble();
      h.append(String.format(Locale.ROOT,
          "<tr><td>%s</td><td>%,d</td><td>%.1f %%</td><td>%,.0f</td><td>%+,.0f</td><td>%s</td><td>%,.0f</td>"
              + "<td>%,d</td></tr>\n", Html.escape(e.getKey()), m.path("articles").asLong(),
          100 * m.path("average_discount").asDouble(), m.path("profit").asDouble(),
          m.path("profit").asDouble() - m.path("baselineProfit").asDouble(),
          start > 0 ? String.format(Locale.ROOT, "%.1f %%", 100 * (start - m.path("stockEnd").asDouble()) / start)
              : "n/a", m.path("returnsDue").asDouble(), m.path("review").asLong()));
    }
    h.append("</table>\n<p class=\"note\">Expected profit = revenue − fulfillment cost + residual value of the ")
        .append("stock left, over the horizon; \"vs live discounts\" compares it with keeping every article at ")
        .append("its live discount.</p>\n");

    h.append("<h2>Company-wide targets</h2>\n");
    if (d.path("coupling_rows").isEmpty()) {
      h.append("<p>None configured.</p>\n");
    } else {
      h.append("<table><tr><th>target</th><th>value</th><th>bound</th><th>status</th></tr>\n");
      for (JsonNode row : d.path("coupling_rows")) {
        boolean met = row.path("met").asBoolean();
        h.append(String.format(Locale.ROOT, "<tr><td>%s</td><td>%,.2f</td><td>%,.2f</td><td%s>%s</td></tr>\n",
            Html.escape(row.path("name").asText()), row.path("activity").asDouble(), row.path("rhs").asDouble(),
            met ? "" : " class=\"miss\"", met ? "met" : String.format(Locale.ROOT, "MISSED by %,.2f",
                row.path("violation").asDouble())));
      }
      h.append("</table>\n<p class=\"note\">Each target as the optimizer holds it: value and bound of its row ")
          .append("(a rate target as Σ discount × price × units against the bound's share of Σ price × units).</p>\n");
    }

    h.append("<h2>Model</h2>\n").append(model(models));

    TreeSet<String> markets = new TreeSet<>();
    weeks.forEach(w -> markets.add(w.market()));
    h.append("<h2>Week by week</h2>\n<div class=\"grid\">\n")
        .append(byMarket("Sales-weighted discount rate", "discount rate", markets, weeks, Week::discountRate))
        .append(byMarket("Expected units sold", "units", markets, weeks, Week::units))
        .append(byMarket("Stock left after the week", "units", markets, weeks, Week::stockEnd));
    for (String market : markets) {
      h.append(mixChart(market, mix));
    }
    h.append("</div>\n");

    JsonNode rv = optimizeResult.path("review");
    h.append("<h2>To review</h2>\n<p>").append(String.format(Locale.ROOT,
            "%,d of %,d article-markets flagged, holding %,.0f of the %,.0f money at stake (the fewest plans that "
                + "hold at least %.0f %% of it, and every manager override); the %d with the most at stake first. ",
            flaggedCount, rv.path("article_markets").asLong(), rv.path("stake_flagged").asDouble(),
            rv.path("stake_total").asDouble(), 100 * rv.path("coverage").asDouble(), review.size()))
        .append("The manager CSV flags them all.");
    List<String> cuts = new ArrayList<>();
    rv.path("plans_to_cover").fields().forEachRemaining(e -> cuts.add(String.format(Locale.ROOT, "%.0f %% in %,d",
        100 * Double.parseDouble(e.getKey()), e.getValue().asLong())));
    if (!cuts.isEmpty()) {
      h.append(" Other cuts (<code>review.stake-coverage</code>): ").append(String.join(", ", cuts)).append(" plans.");
    }
    h.append("</p>\n<table><tr><th>article</th><th>market</th>")
        .append("<th>money at stake</th><th class=\"left\">why (largest first)</th></tr>\n");
    for (Review r : review) {
      h.append(String.format(Locale.ROOT, "<tr><td>%s</td><td>%s</td><td>%,.0f</td><td class=\"left\">%s</td></tr>\n",
          Html.escape(r.article()), Html.escape(r.market()), r.stake(), Html.escape(r.reason())));
    }
    return h.append("</table>\n</body></html>\n").toString();
  }

  private static String gap(JsonNode d) {
    if (d.path("gap").isNumber()) {
      return String.format(Locale.ROOT, "Optimality gap %.3f %% after %d iterations%s.",
          100 * Math.max(0, d.path("gap").asDouble()), d.path("iterations").asInt(),
          d.path("feasible").asBoolean() ? "" : " — NOT ALL TARGETS MET");
    }
    return "<span class=\"miss\">Optimality gap undefined: " + Html.escape(d.path("gap_undefined").asText("no bound"))
        + ".</span>";
  }

  private static String model(JsonNode models) {
    JsonNode s = models.path("serving");
    JsonNode b = s.path("backtest");
    StringBuilder h = new StringBuilder("<p>Model set ").append(Html.escape(shortVersion(s.path("version").asText())))
        .append(", trained for ").append(Html.escape(s.path("plan_week").asText())).append(", ")
        .append(Html.escape(s.path("status").asText())).append(". ")
        .append(Html.escape(models.path("training").asText(""))).append("</p>\n");
    if (b.has("wape")) {
      h.append("<table><tr><th>demand backtest</th><th>WAPE</th><th>bias</th></tr>\n");
      for (String m : List.of("pricepath", "recent_mean", "loglog_elasticity")) {
        if (b.has("wape_" + m)) {
          h.append(String.format(Locale.ROOT, "<tr><td>%s</td><td>%.3f</td><td>%+.3f</td></tr>\n", m,
              b.path("wape_" + m).asDouble(), b.path("bias_" + m).asDouble()));
        }
      }
      h.append("</table>\n");
    }
    return h.toString();
  }

  private static String byMarket(String title, String yLabel, TreeSet<String> markets, List<Week> weeks,
      java.util.function.ToDoubleFunction<Week> value) {
    List<Charts.Line> lines = new ArrayList<>();
    int i = 0;
    for (String market : markets) {
      List<Week> of = weeks.stream().filter(w -> w.market().equals(market))
          .sorted(java.util.Comparator.comparing(Week::week)).toList();
      lines.add(Charts.Line.of(market, of.stream().mapToDouble(w -> w.week().toEpochDay()).toArray(),
          of.stream().mapToDouble(value).toArray(), COLORS[i++ % COLORS.length]).withMarkers(null));
    }
    return Charts.svg(new Charts.Chart(title, "week", yLabel, true, 560, 300, lines)) + "\n";
  }

  private static String mixChart(String market, List<Mix> mix) {
    TreeMap<Double, TreeMap<LocalDate, Long>> byLevel = new TreeMap<>();
    TreeSet<LocalDate> allWeeks = new TreeSet<>();
    for (Mix m : mix) {
      if (m.market().equals(market)) {
        byLevel.computeIfAbsent(m.discount(), k -> new TreeMap<>()).put(m.week(), m.articles());
        allWeeks.add(m.week());
      }
    }
    List<Charts.Line> lines = new ArrayList<>();
    int i = 0;
    for (Map.Entry<Double, TreeMap<LocalDate, Long>> level : byLevel.entrySet()) {
      double[] x = allWeeks.stream().mapToDouble(LocalDate::toEpochDay).toArray();
      double[] y = allWeeks.stream().mapToDouble(w -> level.getValue().getOrDefault(w, 0L)).toArray();
      lines.add(Charts.Line.of(String.format(Locale.ROOT, "%.0f %% off", 100 * level.getKey()), x, y,
          COLORS[i++ % COLORS.length]));
    }
    return Charts.svg(new Charts.Chart("Discount mix in " + market, "week", "article-markets", true, 560, 300,
        lines)) + "\n";
  }

  private static String shortVersion(String version) {
    return version.length() > 8 ? version.substring(0, 8) : version;
  }
}
