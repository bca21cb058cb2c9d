package io.pricepath.forecast.backtest;

import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * {@code report.html}: one self-contained page (inline SVG and CSS, no scripts) with the headline
 * figures, WAPE by horizon week per model, and forecast against actual for a few series.
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
        .append(escape(MetricsFile.EXCLUDED))
        .append(" (")
        .append(r.censoredRows())
        .append(" rows).</p>\n");
    s.append("<table><tr><th>model</th><th>WAPE</th><th>bias</th></tr>\n");
    for (String m : BacktestResult.MODELS) {
      Accuracy a = r.models().get(m);
      s.append("<tr><td><span style=\"color:")
          .append(COLORS.get(m))
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
    int w = 620;
    int h = 300;
    int left = 50;
    int right = 150;
    int top = 15;
    int bottom = 40;
    int steps = r.byHorizon().size();
    double max = 0;
    for (BacktestResult.Horizon hz : r.byHorizon()) {
      for (Accuracy a : hz.models().values()) {
        if (!Double.isNaN(a.wape())) {
          max = Math.max(max, a.wape());
        }
      }
    }
    max = niceCeiling(max);
    StringBuilder s = new StringBuilder();
    s.append(svgOpen(w, h));
    axes(s, left, top, w - right, h - bottom, 0, max);
    double xStep = steps > 1 ? (double) (w - right - left) / (steps - 1) : 0;
    for (int i = 0; i < steps; i++) {
      double x = left + (steps > 1 ? i * xStep : (w - right - left) / 2.0);
      s.append(text(x, h - bottom + 16, "middle", "h=" + r.byHorizon().get(i).h()));
    }
    s.append(text((left + w - right) / 2.0, h - 4, "middle", "horizon week"));
    int legend = 0;
    for (String m : BacktestResult.MODELS) {
      List<double[]> pts = new ArrayList<>();
      for (int i = 0; i < steps; i++) {
        double v = r.byHorizon().get(i).models().get(m).wape();
        if (!Double.isNaN(v)) {
          double x = left + (steps > 1 ? i * xStep : (w - right - left) / 2.0);
          pts.add(new double[] {x, y(v, 0, max, top, h - bottom)});
        }
      }
      s.append(polyline(pts, COLORS.get(m), false));
      for (double[] p : pts) {
        s.append(
            String.format(
                Locale.ROOT,
                "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"3\" fill=\"%s\"/>",
                p[0], p[1], COLORS.get(m)));
      }
      double ly = top + 10 + 18 * legend++;
      s.append(
          String.format(
              Locale.ROOT,
              "<line x1=\"%d\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\" stroke=\"%s\" stroke-width=\"2\"/>",
              w - right + 12, ly, w - right + 32, ly, COLORS.get(m)));
      s.append(text(w - right + 36, ly + 4, "start", m));
    }
    s.append(text(12, top + 8, "start", "WAPE"));
    s.append("</svg>\n");
    return s.toString();
  }

  private static String seriesChart(Sample sample) {
    int w = 520;
    int h = 230;
    int left = 44;
    int right = 10;
    int top = 24;
    int bottom = 30;
    List<Point> points = sample.points();
    if (points.isEmpty()) {
      return "";
    }
    LocalDate first = points.get(0).week();
    LocalDate last = first;
    double max = 0;
    TreeMap<LocalDate, Point> actuals = new TreeMap<>();
    TreeMap<LocalDate, List<Point>> byOrigin = new TreeMap<>();
    for (Point p : points) {
      first = p.week().isBefore(first) ? p.week() : first;
      last = p.week().isAfter(last) ? p.week() : last;
      max = Math.max(max, p.actual());
      for (double f : p.forecasts()) {
        max = Math.max(max, f);
      }
      actuals.put(p.week(), p);
      byOrigin.computeIfAbsent(p.origin(), o -> new ArrayList<>()).add(p);
    }
    max = niceCeiling(max);
    long span = Math.max(1, ChronoUnit.WEEKS.between(first, last));
    StringBuilder s = new StringBuilder();
    s.append(svgOpen(w, h));
    s.append(text(left, 14, "start", sample.article() + " · " + sample.market()));
    axes(s, left, top, w - right, h - bottom, 0, max);
    s.append(text(left, h - 8, "start", first.toString()));
    s.append(text(w - right, h - 8, "end", last.toString()));
    for (List<Point> path : byOrigin.values()) {
      path.sort((a, b) -> a.week().compareTo(b.week()));
      for (int m = 0; m < BacktestResult.MODELS.size(); m++) {
        List<double[]> pts = new ArrayList<>();
        for (Point p : path) {
          pts.add(
              new double[] {
                x(p.week(), first, span, left, w - right), y(p.forecasts()[m], 0, max, top, h - bottom)
              });
        }
        s.append(polyline(pts, COLORS.get(BacktestResult.MODELS.get(m)), m > 0));
      }
    }
    List<double[]> actual = new ArrayList<>();
    for (Point p : actuals.values()) {
      actual.add(
          new double[] {x(p.week(), first, span, left, w - right), y(p.actual(), 0, max, top, h - bottom)});
    }
    s.append(polyline(actual, "#111", false));
    for (Point p : actuals.values()) {
      s.append(
          String.format(
              Locale.ROOT,
              "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"2.5\" fill=\"%s\" stroke=\"#111\"/>",
              x(p.week(), first, span, left, w - right),
              y(p.actual(), 0, max, top, h - bottom),
              p.censored() ? "#fff" : "#111"));
    }
    s.append("</svg>\n");
    return s.toString();
  }

  private static String svgOpen(int w, int h) {
    return "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" viewBox=\"0 0 %d %d\">"
        .formatted(w, h, w, h);
  }

  private static void axes(StringBuilder s, int x0, int y0, int x1, int y1, double min, double max) {
    for (int k = 0; k <= 4; k++) {
      double v = min + (max - min) * k / 4;
      double y = y(v, min, max, y0, y1);
      s.append(
          String.format(
              Locale.ROOT,
              "<line x1=\"%d\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\" stroke=\"#e5e5e5\"/>",
              x0, y, x1, y));
      s.append(text(x0 - 4, y + 4, "end", compact(v)));
    }
    s.append(
        String.format(
            Locale.ROOT,
            "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"#999\"/>", x0, y1, x1, y1));
  }

  private static double x(LocalDate week, LocalDate first, long span, int x0, int x1) {
    return x0 + (x1 - x0) * (double) ChronoUnit.WEEKS.between(first, week) / span;
  }

  private static double y(double v, double min, double max, int y0, int y1) {
    double share = max > min ? (v - min) / (max - min) : 0;
    return y1 - (y1 - y0) * share;
  }

  private static String polyline(List<double[]> pts, String color, boolean dashed) {
    if (pts.isEmpty()) {
      return "";
    }
    StringBuilder s = new StringBuilder("<polyline fill=\"none\" stroke=\"").append(color);
    s.append("\" stroke-width=\"").append(dashed ? "1.5" : "2").append('"');
    if (dashed) {
      s.append(" stroke-dasharray=\"4 3\"");
    }
    s.append(" points=\"");
    for (double[] p : pts) {
      s.append(String.format(Locale.ROOT, "%.1f,%.1f ", p[0], p[1]));
    }
    return s.append("\"/>").toString();
  }

  private static String text(double x, double y, String anchor, String value) {
    return String.format(
        Locale.ROOT,
        "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"%s\">%s</text>",
        x, y, anchor, escape(value));
  }

  private static double niceCeiling(double v) {
    if (!(v > 0)) {
      return 1;
    }
    double step = Math.pow(10, Math.floor(Math.log10(v)));
    for (double m : new double[] {1, 2, 2.5, 5, 10}) {
      if (m * step >= v) {
        return m * step;
      }
    }
    return 10 * step;
  }

  private static String compact(double v) {
    return v == Math.rint(v) && Math.abs(v) < 1e6
        ? Long.toString((long) v)
        : String.format(Locale.ROOT, "%.2f", v);
  }

  private static String fmt(double v, String format) {
    return Double.isNaN(v) ? "&ndash;" : String.format(Locale.ROOT, format, v);
  }

  static String escape(String text) {
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
  }
}
