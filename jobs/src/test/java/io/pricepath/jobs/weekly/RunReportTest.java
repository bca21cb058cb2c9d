package io.pricepath.jobs.weekly;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.LocalDate;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The run's page from figures alone, no Spark. */
class RunReportTest {
  static final LocalDate W0 = LocalDate.of(2025, 3, 3);

  static JsonNode json(String text) throws Exception {
    return new ObjectMapper().readTree(text.replace('\'', '"'));
  }

  @Test
  void thePageShowsMarketsTargetsModelChartsAndTheReviewListWorstFirst() throws Exception {
    JsonNode optimized = json("{'decomposition': {'article_markets': 3, 'gap': 0.0004, 'iterations': 7, "
        + "'feasible': false, 'coupling_rows': [{'name': 'DE: discount rate <= 15.0 %', 'activity': -2.5, 'rhs': 0, "
        + "'met': true, 'violation': 0}, {'name': 'FR: markdown spend <= 1,000', 'activity': 1200, 'rhs': 1000, "
        + "'met': false, 'violation': 200}]}, 'markets': {'DE': {'articles': 2, 'average_discount': 0.125, "
        + "'profit': 5000, 'baselineProfit': 4000, 'stockStart': 100, 'stockEnd': 40, 'returnsDue': 3, 'review': 1}, "
        + "'FR': {'articles': 1, 'average_discount': 0.2, 'profit': 900, 'baselineProfit': 1000, 'stockStart': 0, "
        + "'stockEnd': 0, 'returnsDue': 0, 'review': 1}}, 'review': {'article_markets': 3, 'flagged': 2, "
        + "'coverage': 0.8, 'stake_total': 1200, 'stake_flagged': 910, 'plans_to_cover': {'0.50': 1, '1.00': 2}}}");
    JsonNode models = json("{'serving': {'version': 'abcdef0123456789', 'plan_week': '2025-02-24', 'status': "
        + "'approved', 'backtest': {'wape': 0.3, 'wape_pricepath': 0.3, 'bias_pricepath': 0.01, 'wape_recent_mean': "
        + "0.45, 'bias_recent_mean': -0.1}}, 'training': 'skipped: fresh'}");
    List<RunReport.Week> weeks = List.of(
        new RunReport.Week("DE", W0, 10, 100, 10, 60), new RunReport.Week("DE", W0.plusWeeks(1), 8, 80, 16, 52),
        new RunReport.Week("FR", W0, 0, 0, 0, 0), new RunReport.Week("FR", W0.plusWeeks(1), 3, 30, 6, 0));
    List<RunReport.Mix> mix = List.of(new RunReport.Mix("DE", W0, 0.0, 1), new RunReport.Mix("DE", W0, 0.3, 1),
        new RunReport.Mix("DE", W0.plusWeeks(1), 0.3, 2), new RunReport.Mix("FR", W0, 0.2, 1));
    List<RunReport.Review> review = List.of(
        new RunReport.Review("A<1>", "DE", 900, "stock at risk: 70 % of stock left after the horizon"),
        new RunReport.Review("B2", "FR", 10, "new article: no sales history yet, forecast least certain"));

    String html = RunReport.html("2025-03-03-abcd1234", W0, 2, optimized, models, weeks, mix, review, 2);

    assertThat(html).startsWith("<!DOCTYPE html>").endsWith("</html>\n").doesNotContain("<script", "http://cdn");
    assertThat(html).contains("Markdown plan 2025-03-03-abcd1234", "Plan week 2025-03-03, 2 weeks, 3 article-markets",
        "Optimality gap 0.040 % after 7 iterations — NOT ALL TARGETS MET");
    assertThat(html).contains("<td>DE</td><td>2</td><td>12.5 %</td><td>5,000</td><td>+1,000</td><td>60.0 %</td>")
        .contains("<td>FR</td><td>1</td><td>20.0 %</td><td>900</td><td>-100</td><td>n/a</td>");
    assertThat(html).contains("<td>DE: discount rate &lt;= 15.0 %</td><td>-2.50</td><td>0.00</td><td>met</td>")
        .contains("<td class=\"miss\">MISSED by 200.00</td>");
    assertThat(html).contains("Model set abcdef01, trained for 2025-02-24, approved. skipped: fresh")
        .contains("<tr><td>pricepath</td><td>0.300</td><td>+0.010</td></tr>")
        .contains("<tr><td>recent_mean</td><td>0.450</td><td>-0.100</td></tr>");
    assertThat(html.split("<svg", -1)).as("rate, units and stock by week, and one mix chart per market")
        .hasSize(1 + 3 + 2);
    assertThat(html).contains("Discount mix in DE", "30 % off");
    assertThat(html).contains("2 of 3 article-markets flagged, holding 910 of the 1,200 money at stake (the fewest "
        + "plans that hold at least 80 % of it, and every manager override)")
        .contains("Other cuts (<code>review.stake-coverage</code>): 50 % in 1, 100 % in 2 plans.")
        .contains("<td>DE</td><td>900</td><td class=\"left\">stock at risk: 70 % of stock left after the horizon</td>");
    assertThat(html.indexOf("A&lt;1&gt;")).as("worst first, names escaped").isPositive()
        .isLessThan(html.indexOf("<td>B2</td>"));
  }

  @Test
  void anUndefinedGapIsSaidAsSuch() throws Exception {
    JsonNode optimized = json("{'decomposition': {'article_markets': 1, 'gap': null, 'gap_undefined': "
        + "'a hard target is missed: no feasible plan', 'coupling_rows': []}, 'markets': {}}");
    String html = RunReport.html("r", W0, 1, optimized, json("{}"), List.of(), List.of(), List.of(), 0);
    assertThat(html).contains("Optimality gap undefined: a hard target is missed: no feasible plan.")
        .contains("None configured.").doesNotContain("NaN");
  }
}
