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

// ---- cell 6: plots (io.pricepath.report.Charts: JFreeChart drawn as inline SVG, as every pricepath page) ----
String svg(String title, Map<String, List<double[]>> series, Map<String, Double> marks, String xLabel, String yLabel) {
  String[] colors = {"#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b"};
  List<io.pricepath.report.Charts.Line> lines = new ArrayList<>();
  int i = 0;
  for (var e : series.entrySet()) {
    String c = colors[i++ % colors.length];
    double[] x = e.getValue().stream().mapToDouble(p -> p[0]).toArray();
    double[] y = e.getValue().stream().mapToDouble(p -> p[1]).toArray();
    lines.add(io.pricepath.report.Charts.Line.of(e.getKey(), x, y, c));
    Double m = marks.get(e.getKey());
    if (m != null) {  // the recommended level: one dot on the curve
      e.getValue().stream().filter(p -> Math.abs(p[0] - m) < 1e-9).findFirst().ifPresent(p -> lines.add(
          io.pricepath.report.Charts.Line.of(e.getKey(), new double[] {p[0]}, new double[] {p[1]}, c).withMarkers(null).unlisted()));
    }
  }
  return io.pricepath.report.Charts.svg(new io.pricepath.report.Charts.Chart(title, xLabel, yLabel, false, 460, 300, lines));
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
