package io.pricepath.jobs.policy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.pricepath.report.Charts;
import io.pricepath.report.Html;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.util.List;
import java.util.Locale;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/** The policy backtest's files: {@code policy-backtest.json} and a self-contained {@code report.html}. */
final class Reports {
  private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
  private static final String[] COLORS = {"#1f77b4", "#2ca02c", "#7f7f7f", "#d62728"};

  private Reports() {}

  static ObjectNode json(PolicyBacktestResult result, PolicyBacktest.Request request) {
    ObjectNode root = JSON.createObjectNode();
    root.put("data", request.data());
    root.put("plan_week", result.planWeek().toString());
    root.put("weeks", result.weeks());
    root.put("article_markets", result.articleMarkets());
    root.put("demand", result.expectedDemand() ? "expected" : "drawn");
    root.put("seed", result.seed());
    root.put("horizon", request.config().horizon());
    root.put("retrain_every_weeks", request.retrainEveryWeeks());
    LocalDate seasonStart = PolicyBacktest.seasonStart(request, result.planWeek());
    root.put("targets_over", seasonStart == null ? "horizon" : "season from " + seasonStart);
    var truthColumns = root.putArray("pricepath_truth_columns");
    new java.util.TreeSet<>(request.truthColumns()).forEach(truthColumns::add);
    root.put("millis", result.millis());
    number(root, "captured_share", result.capturedShare());
    number(root, "captured_share_expected", result.capturedShareExpected());
    ObjectNode policies = root.putObject("policies");
    for (PolicyBacktestResult.PolicyFigures p : result.policies()) {
      ObjectNode node = policies.putObject(p.policy().label());
      node.put("total_profit", p.totalProfit());
      node.put("revenue", p.revenue());
      node.put("fulfillment_cost", p.fulfillmentCost());
      node.put("residual_value", p.residualValue());
      node.put("units", p.units());
      node.put("returns", p.returns());
      node.put("starting_stock", p.startingStock());
      node.put("sell_through", p.sellThrough());
      node.put("expected_total_profit", p.expectedTotalProfit());
      node.put("targets_met", p.targetsMet());
      ArrayNode adherence = node.putArray("adherence");
      for (PolicyBacktestResult.MarketAdherence a : p.adherence()) {
        ObjectNode m = adherence.addObject();
        m.put("market", a.market());
        number(m, "discount_rate", a.discountRate());
        number(m, "lower", a.lower());
        number(m, "upper", a.upper());
        m.put("met", a.met());
        m.put("weeks_within", a.weeksWithin());
        m.put("weeks_with_sales", a.weeksWithSales());
      }
      ArrayNode weekly = node.putArray("weekly");
      for (PolicyBacktestResult.WeekFigures w : p.weekly()) {
        ObjectNode n = weekly.addObject();
        n.put("week", w.week().toString());
        n.put("profit", w.profit());
        n.put("revenue", w.revenue());
        n.put("units", w.units());
        number(n, "discount_rate", w.discountRate());
        n.put("cumulative_profit", w.cumulativeProfit());
        if (p.policy().optimizes()) {
          n.put("articles_optimized", w.articlesOptimized());
          number(n, "optimizer_gap", w.optimizerGap());
          n.put("targets_met", w.targetsMet());
        }
      }
    }
    return root;
  }

  private static void number(ObjectNode node, String field, double value) {
    if (Double.isFinite(value)) {
      node.put(field, value);
    } else {
      node.putNull(field);
    }
  }

  static void writeJson(PolicyBacktestResult result, PolicyBacktest.Request request, Path path, FileSystem fs)
      throws IOException {
    write(JSON.writeValueAsString(json(result, request)), path, fs);
  }

  static void writeHtml(PolicyBacktestResult result, Path path, FileSystem fs) throws IOException {
    write(html(result), path, fs);
  }

  private static void write(String text, Path path, FileSystem fs) throws IOException {
    try (OutputStream out = fs.create(path, true)) {
      out.write(text.getBytes(StandardCharsets.UTF_8));
    }
  }

  static String html(PolicyBacktestResult result) {
    StringBuilder h = new StringBuilder();
    h.append("<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>pricepath policy backtest</title>")
        .append("<style>body{font-family:system-ui,sans-serif;margin:2em;color:#222}table{border-collapse:collapse}")
        .append("td,th{padding:4px 10px;border-bottom:1px solid #ddd;text-align:right}td:first-child,th:first-child")
        .append("{text-align:left}.miss{color:#c00}</style></head><body>\n");
    h.append("<h1>Policy backtest</h1>\n<p>").append(result.weeks()).append(" weeks from ").append(result.planWeek())
        .append(", ").append(String.format(Locale.ROOT, "%,d", result.articleMarkets()))
        .append(" article-markets, ")
        .append(result.expectedDemand() ? "expected demand" : "demand drawn with seed " + result.seed())
        .append(". Total profit = revenue − fulfillment cost + residual value of the stock left at the end.</p>\n");
    h.append("<p><b>pricepath captures ").append(Html.escape(PolicyBacktestResult.percent(result.capturedShare())))
        .append("</b> of the oracle's profit gain over the rule ladder (")
        .append(Html.escape(PolicyBacktestResult.percent(result.capturedShareExpected())))
        .append(" on the expected profit of the same decisions).</p>\n");
    h.append("<table><tr><th>policy</th><th>total profit</th><th>revenue</th><th>fulfillment</th><th>residual value</th>")
        .append("<th>units</th><th>sell-through</th><th>expected profit</th><th>discount rate by market</th></tr>\n");
    for (PolicyBacktestResult.PolicyFigures p : result.policies()) {
      h.append(String.format(Locale.ROOT,
          "<tr><td>%s</td><td>%,.0f</td><td>%,.0f</td><td>%,.0f</td><td>%,.0f</td><td>%,.0f</td><td>%.1f %%</td>"
              + "<td>%,.0f</td><td>", p.policy().label(), p.totalProfit(), p.revenue(), p.fulfillmentCost(),
          p.residualValue(), p.units(), 100 * p.sellThrough(), p.expectedTotalProfit()));
      for (PolicyBacktestResult.MarketAdherence a : p.adherence()) {
        h.append(String.format(Locale.ROOT, "<span%s>%s %.1f %% (%s; %d/%d weeks within)</span> ",
            a.met() ? "" : " class=\"miss\"", Html.escape(a.market()), 100 * a.discountRate(),
            Html.escape(PolicyBacktestResult.bounds(a)), a.weeksWithin(), a.weeksWithSales()));
      }
      h.append("</td></tr>\n");
    }
    h.append("</table>\n<h2>Cumulative profit by week</h2>\n").append(chart(result.policies()))
        .append("\n<p>The last week includes the residual value of the stock left.</p>\n</body></html>\n");
    return h.toString();
  }

  private static String chart(List<PolicyBacktestResult.PolicyFigures> policies) {
    List<Charts.Line> lines = new java.util.ArrayList<>();
    for (int i = 0; i < policies.size(); i++) {
      PolicyBacktestResult.PolicyFigures p = policies.get(i);
      double[] x = new double[p.weekly().size() + 1];
      double[] y = new double[x.length];
      for (int k = 0; k < p.weekly().size(); k++) {
        x[k + 1] = k + 1;
        y[k + 1] = p.weekly().get(k).cumulativeProfit();
      }
      lines.add(Charts.Line.of(p.policy().label(), x, y, COLORS[i % COLORS.length]));
    }
    return Charts.svg(new Charts.Chart(null, "week of the season", "cumulative profit", false, 760, 380, lines));
  }
}
