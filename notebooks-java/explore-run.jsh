// pricepath notebook — explore a weekly run: what it recommends, why, and what it expects.
//
//   bin/pricepath-notebook notebooks-java/explore-run.jsh RUN_DIR [OUT.html]
//
// Reads the run's outputs in the data contract's layout (recommendations/, forecasts/,
// manifest.json), prints the plan per market and week, and writes one HTML page with plots:
// the first-week discount mix per market, the plan's discount rate and expected units by week,
// and for a sample of articles the forecast demand curve over the ladder with the chosen level.
// Each section below is one "cell": edit and re-run, or paste cells into `jshell` one by one.

import static org.apache.spark.sql.functions.*;
import io.pricepath.contract.OutputLayouts;
import io.pricepath.contract.SparkSessions;
import java.nio.file.*;
import java.util.*;
import java.util.stream.*;
import org.apache.spark.sql.*;

// ---- cell 1: where the run is --------------------------------------------------------------
String runDir = System.getProperty("notebook.arg0", "demo/run");
String outHtml = System.getProperty("notebook.arg1", runDir + "/notebook-explore-run.html");
if (!Files.isDirectory(Path.of(runDir, "recommendations"))) {
  System.out.println("Cannot explore " + runDir + ": it has no recommendations/ folder (give a run's --out folder)");
  System.exit(2);
}
SparkSession spark = SparkSessions.local("notebook-explore-run", 0, 4);
spark.sparkContext().setLogLevel("ERROR");

// ---- cell 2: the manifest says what ran ------------------------------------------------------
String manifest = Files.readString(Path.of(runDir, "manifest.json"));
var json = new com.fasterxml.jackson.databind.ObjectMapper().readTree(manifest);
System.out.printf("run %s  status %s  plan week %s  gap %s%n", json.path("run_id").asText(), json.path("status").asText(),
    json.path("plan_week").asText(), json.path("optimizer").path("gap").asText("?"));

// ---- cell 3: the plan per market and week ----------------------------------------------------
Dataset<Row> recs = spark.read().parquet(runDir + "/recommendations");
Dataset<Row> byWeek = recs.groupBy("market", "week").agg(
        count(lit(1)).as("articles"),
        sum(col("discount").multiply(col("black_price")).multiply(col("expected_units"))).as("markdown"),
        sum(col("black_price").multiply(col("expected_units"))).as("full_value"),
        sum("expected_units").as("units"),
        sum("expected_revenue").as("revenue"),
        sum("expected_profit").as("profit")).
    withColumn("discount_rate", col("markdown").divide(col("full_value"))).
    orderBy("market", "week");
byWeek.select("market", "week", "articles", "discount_rate", "units", "revenue", "profit").show(60, false);
List<Row> weekRows = byWeek.collectAsList();

// ---- cell 4: first-week discount mix per market ----------------------------------------------
Object firstWeek = recs.agg(min("week")).first().get(0);
List<Row> mix = recs.where(col("week").equalTo(lit(firstWeek))).
    groupBy("market", "discount").count().orderBy("market", "discount").collectAsList();
mix.forEach(r -> System.out.printf("%s  %3.0f %%  %6d articles%n", r.getString(0), 100 * r.getDouble(1), r.getLong(2)));

// ---- cell 5: demand curves of a sample of articles -------------------------------------------
Dataset<Row> forecasts = spark.read().schema(OutputLayouts.FORECASTS).parquet(runDir + "/forecasts");
List<Row> sample = recs.where(col("week").equalTo(lit(firstWeek))).
    orderBy(col("expected_revenue").desc()).limit(6).select("article_id", "market", "discount").collectAsList();
Map<String, List<double[]>> curves = new LinkedHashMap<>();
Map<String, Double> chosen = new LinkedHashMap<>();
for (Row s : sample) {
  String key = s.getString(0) + " / " + s.getString(1);
  chosen.put(key, s.getDouble(2));
  Column same = col("article_id").equalTo(s.getString(0)).and(col("market").equalTo(s.getString(1))).and(col("week").equalTo(lit(firstWeek)));
  List<Row> points = forecasts.where(same).orderBy("discount").select("discount", "demand").collectAsList();
  curves.put(key, points.stream().map(r -> new double[] {r.getDouble(0), r.getDouble(1)}).collect(Collectors.toList()));
}

// ---- cell 6: plots (inline SVG, no plotting library needed) ----------------------------------
String svg(String title, Map<String, List<double[]>> series, Map<String, Double> marks, String xLabel, String yLabel) {
  double w = 420, h = 240, l = 50, b = 30;
  double xmin = series.values().stream().flatMap(List::stream).mapToDouble(p -> p[0]).min().orElse(0);
  double xmax = series.values().stream().flatMap(List::stream).mapToDouble(p -> p[0]).max().orElse(1);
  double ymax = series.values().stream().flatMap(List::stream).mapToDouble(p -> p[1]).max().orElse(1);
  if (xmax <= xmin) xmax = xmin + 1;
  if (ymax <= 0) ymax = 1;
  final double x0 = xmin, x1 = xmax, y1 = ymax;
  java.util.function.DoubleUnaryOperator sx = x -> l + (x - x0) / (x1 - x0) * (w - l - 10);
  java.util.function.DoubleUnaryOperator sy = y -> h - b - y / y1 * (h - b - 20);
  String[] colors = {"#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b"};
  StringBuilder s = new StringBuilder("<svg width='%.0f' height='%.0f' style='margin:8px;border:1px solid #ddd'>".formatted(w, h + 18 * series.size()));
  s.append("<text x='%.0f' y='14' font-size='13' font-weight='bold'>%s</text>".formatted(l, title));
  s.append("<line x1='%.0f' y1='%.0f' x2='%.0f' y2='%.0f' stroke='#333'/>".formatted(l, h - b, w - 10, h - b));
  s.append("<line x1='%.0f' y1='20' x2='%.0f' y2='%.0f' stroke='#333'/>".formatted(l, l, h - b));
  s.append("<text x='%.0f' y='%.0f' font-size='11'>%s</text>".formatted(w / 2, h - 5, xLabel));
  s.append("<text x='4' y='%.0f' font-size='11'>%.3g</text><text x='4' y='%.0f' font-size='11'>%s</text>".formatted(sy.applyAsDouble(y1) + 4, y1, h - b, yLabel));
  s.append("<text x='%.0f' y='%.0f' font-size='10'>%.3g</text><text x='%.0f' y='%.0f' font-size='10'>%.3g</text>".formatted(l, h - b + 12, x0, w - 40, h - b + 12, x1));
  int i = 0;
  for (var e : series.entrySet()) {
    String c = colors[i % colors.length];
    String pts = e.getValue().stream().map(p -> "%.1f,%.1f".formatted(sx.applyAsDouble(p[0]), sy.applyAsDouble(p[1]))).collect(Collectors.joining(" "));
    s.append("<polyline fill='none' stroke='%s' stroke-width='2' points='%s'/>".formatted(c, pts));
    Double m = marks.get(e.getKey());
    if (m != null) {
      e.getValue().stream().filter(p -> Math.abs(p[0] - m) < 1e-9).findFirst().ifPresent(p -> s.append(
          "<circle cx='%.1f' cy='%.1f' r='5' fill='%s'/>".formatted(sx.applyAsDouble(p[0]), sy.applyAsDouble(p[1]), c)));
    }
    s.append("<text x='%.0f' y='%.0f' font-size='11' fill='%s'>%s</text>".formatted(l, h + 14 + 18 * i, c, e.getKey()));
    i++;
  }
  return s.append("</svg>").toString();
}

Map<String, List<double[]>> rateByWeek = new LinkedHashMap<>();
Map<String, List<double[]>> unitsByWeek = new LinkedHashMap<>();
for (Row r : weekRows) {
  double week = (((java.time.LocalDate) r.getAs("week")).toEpochDay() - ((java.time.LocalDate) firstWeek).toEpochDay()) / 7.0 + 1;
  // a week that sells nothing has no sales-weighted rate: it is left out of the line
  if (!r.isNullAt(r.fieldIndex("discount_rate"))) rateByWeek.computeIfAbsent(r.getString(0), k -> new ArrayList<>()).add(new double[] {week, r.<Double>getAs("discount_rate")});
  unitsByWeek.computeIfAbsent(r.getString(0), k -> new ArrayList<>()).add(new double[] {week, r.<Double>getAs("units")});
}
Map<String, List<double[]>> mixSeries = new LinkedHashMap<>();
for (Row r : mix) mixSeries.computeIfAbsent(r.getString(0), k -> new ArrayList<>()).add(new double[] {r.getDouble(1), r.getLong(2)});

String html = "<html><head><meta charset='utf-8'><title>pricepath run " + runDir + "</title></head>" +
    "<body style='font-family:sans-serif'><h2>pricepath run: " + runDir + "</h2>" +
    svg("First-week discount mix", mixSeries, Map.of(), "discount", "articles") +
    svg("Sales-weighted discount rate by week", rateByWeek, Map.of(), "week of the plan", "rate") +
    svg("Expected units by week", unitsByWeek, Map.of(), "week of the plan", "units") +
    "<h3>Forecast demand over the ladder, first week (dot = recommended level)</h3>" +
    curves.entrySet().stream().map(e -> svg(e.getKey(), Map.of(e.getKey(), e.getValue()), chosen, "discount", "units")).
        collect(Collectors.joining()) +
    "</body></html>";
Files.writeString(Path.of(outHtml), html);
System.out.println("wrote " + outHtml);
spark.stop();
/exit
