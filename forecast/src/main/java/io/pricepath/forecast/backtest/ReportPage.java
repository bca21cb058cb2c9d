package io.pricepath.forecast.backtest;

import io.pricepath.report.Charts;
import io.pricepath.report.Html;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * {@code report.html}: one self-contained page (inline SVG and CSS, no scripts) with the headline
 * figures, WAPE by horizon week per model, and forecast against actual for a few series; the
 * charts are {@link Charts}'.
 */
final class ReportPage {
  private ReportPage() {}

  private static final Map<String, String> COLORS =
      Map.of(
          BacktestResult.PRICEPATH, "#1f6fb4",
          BacktestResult.RECENT_MEAN, "#7f7f7f",
          BacktestResult.LOG_LOG, "#e3780c");

  /**
   * One target row of a sampled series.
   *
   * @param origin forecast origin
   * @param week target week
   * @param actual units sold
   * @param censored whether the week sold out
   * @param forecasts forecast per model, in {@link BacktestResult#MODELS} order
   */
  record Point(LocalDate origin, LocalDate week, double actual, boolean censored, double[] forecasts) {}

  /** The rows of one sampled (article, market). */
  record Sample(String article, String market, List<Point> points) {}

  /** A model's colour: the base models' own, a compared family's purple. */
  private static String color(String model) {
    return COLORS.getOrDefault(model, "#8e44ad");
  }

  static String html(BacktestResult r, List<Sample> samples) {
    StringBuilder s = new StringBuilder();
    s.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">")
        .append("<title>pricepath backtest</title><style>")
        .append("body{font-family:system-ui,sans-serif;margin:24px;color:#222;max-width:1100px}")
        .append("table{border-collapse:collapse;margin:8px 0}td,th{padding:4px 10px;text-align:right;")
        .append("border-bottom:1px solid #ddd}th:first-child,td:first-child{text-align:left}")
        .append(".grid{display:flex;flex-wrap:wrap;gap:12px}.note{color:#666;font-size:13px}")
        .append("svg text{font-size:11px;fill:#444}</style></head><body>\n");
    List<LocalDate> origins = r.origins();
    s.append("<h1>Demand backtest</h1>\n<p>")
        .append(origins.size())
        .append(" origins from ")
        .append(origins.isEmpty() ? "-" : origins.get(0))
        .append(" to ")
        .append(origins.isEmpty() ? "-" : origins.get(origins.size() - 1))
        .append(", ")
        .append(r.horizon())
        .append(" weeks ahead, forecast at the discount actually applied; ")
        .append(r.n())
        .append(" (article, market, week) rows. ")
        .append(Html.escape(MetricsFile.EXCLUDED))
        .append(" (")
        .append(r.censoredRows())
        .append(" rows).</p>\n");
    s.append("<table><tr><th>model</th><th>WAPE</th><th>bias</th></tr>\n");
    for (String m : r.models().keySet()) {
      Accuracy a = r.models().get(m);
      s.append("<tr><td><span style=\"color:")
          .append(color(m))
          .append("\">&#9632;</span> ")
          .append(m)
          .append("</td><td>")
          .append(fmt(a.wape(), "%.3f"))
          .append("</td><td>")
          .append(fmt(a.bias(), "%+.3f"))
          .append("</td></tr>\n");
    }
    s.append("</table>\n<p class=\"note\">WAPE = &Sigma;|actual &minus; forecast| / &Sigma; actual; ")
        .append("bias = &Sigma;(forecast &minus; actual) / &Sigma; actual.</p>\n");
    s.append("<h2>Accuracy by horizon week</h2>\n").append(horizonChart(r));
    s.append("<h2>Forecast against actual</h2>\n<p class=\"note\">")
        .append("Black: units sold (hollow dot: sold out). Each origin's forecasts of its ")
        .append(r.horizon())
        .append(" weeks are one line per model.</p>\n<div class=\"grid\">\n");
    for (Sample sample : samples) {
      s.append(seriesChart(sample));
    }
    s.append("</div>\n</body></html>\n");
    return s.toString();
  }

  private static String horizonChart(BacktestResult r) {
    int steps = r.byHorizon().size();
    double[] x = new double[steps];
    for (int i = 0; i < steps; i++) {
      x[i] = r.byHorizon().get(i).h();
    }
    List<Charts.Line> lines = new ArrayList<>();
    for (String m : r.models().keySet()) {
      double[] wape = new double[steps];
      for (int i = 0; i < steps; i++) {
        wape[i] = r.byHorizon().get(i).models().get(m).wape();
      }
      lines.add(Charts.Line.of(m, x, wape, color(m)).withMarkers(null));
    }
    return Charts.svg(new Charts.Chart(null, "horizon week", "WAPE", false, 640, 300, lines)) + "\n";
  }

  /** One sampled series: units sold (hollow dot: sold out) and each origin's forecasts, one line per model. */
  private static String seriesChart(Sample sample) {
    List<Point> points = sample.points();
    if (points.isEmpty()) {
      return "";
    }
    TreeMap<LocalDate, Point> actuals = new TreeMap<>();
    TreeMap<LocalDate, List<Point>> byOrigin = new TreeMap<>();
    for (Point p : points) {
      actuals.put(p.week(), p);
      byOrigin.computeIfAbsent(p.origin(), o -> new ArrayList<>()).add(p);
    }
    List<Charts.Line> lines = new ArrayList<>();
    boolean first = true;
    for (List<Point> path : byOrigin.values()) {
      path.sort((a, b) -> a.week().compareTo(b.week()));
      double[] weeks = path.stream().mapToDouble(p -> p.week().toEpochDay()).toArray();
      for (int m = 0; m < BacktestResult.MODELS.size(); m++) {
        int model = m;
        Charts.Line line = Charts.Line.of(BacktestResult.MODELS.get(m), weeks,
            path.stream().mapToDouble(p -> p.forecasts()[model]).toArray(), COLORS.get(BacktestResult.MODELS.get(m)));
        line = m > 0 ? line.asDashed() : line;
        lines.add(first ? line : line.unlisted());
      }
      first = false;
    }
    boolean[] soldOut = new boolean[actuals.size()];
    int k = 0;
    for (Point p : actuals.values()) {
      soldOut[k++] = p.censored();
    }
    lines.add(Charts.Line.of("units sold", actuals.keySet().stream().mapToDouble(LocalDate::toEpochDay).toArray(),
        actuals.values().stream().mapToDouble(Point::actual).toArray(), "#111111").withMarkers(soldOut));
    return Charts.svg(new Charts.Chart(sample.article() + " · " + sample.market(), "week", "units", true, 520, 260,
        lines)) + "\n";
  }

  private static String fmt(double v, String format) {
    return Double.isNaN(v) ? "&ndash;" : String.format(Locale.ROOT, format, v);
  }
}
