package io.pricepath.forecast.train;

import io.pricepath.contract.ContractTables;
import io.pricepath.contract.DatasetReader;
import io.pricepath.contract.SparkSessions;
import io.pricepath.forecast.ForecastSettings;
import io.pricepath.forecast.model.TargetModel;
import io.pricepath.simulate.MarketSimulator;
import io.pricepath.simulate.SimulatorConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.HashMap;
import java.util.Map;
import ml.dmlc.xgboost4j.java.Booster;
import ml.dmlc.xgboost4j.java.DMatrix;
import ml.dmlc.xgboost4j.java.XGBoost;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * One demand training against raw XGBoost on the same rows. Not a test: run {@code main(articles)}
 * with the test classpath and Spark's JVM flags (see the README's benchmarks). On a generated
 * market (articles × 2 markets × 104 weeks, plan week its last week + 1) it prepares the training
 * samples once, then times (1) pricepath's demand fit — holdout with early stopping, margin terms,
 * passes of trees — and (2) the plain {@code xgboost4j} API training one {@code count:poisson}
 * booster on the same rows, with the rounds the demand fit trained, the same depth, learning rate
 * and threads; and prints both wall times, their ratio and the rows.
 */
public final class TrainingBenchmark {
  private TrainingBenchmark() {}

  public static void main(String[] args) throws Exception {
    int articles = args.length > 0 ? Integer.parseInt(args[0]) : 2000;
    SparkSession spark = SparkSessions.local("TrainingBenchmark", 2, 4);
    spark.sparkContext().setLogLevel("ERROR");
    Path dir = Files.createTempDirectory("training-benchmark");
    String root = dir.resolve("market").toString();
    SimulatorConfig config = SimulatorConfig.of(articles, 2, 104, 42);
    MarketSimulator.generate(spark, config, root);
    ContractTables tables = DatasetReader.read(spark, root);
    LocalDate last =
        io.pricepath.contract.Weeks.toLocalDate(
            tables.weekly().agg(org.apache.spark.sql.functions.max("week")).first().get(0));
    LocalDate planWeek = last.plusWeeks(1);
    ForecastSettings settings =
        new ForecastSettings(
            12, new double[] {0, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7}, 52, 2, 4, 400, 6, 0.1, 42L,
            2, 50, 6, 65_536);
    long t0 = System.nanoTime();
    Trainer.Prepared prepared =
        Trainer.prepare(spark, Trainer.ownSamples(tables, planWeek, settings), planWeek, settings);
    Dataset<Row> rows = TargetFit.demandRows(prepared.samples()).persist();
    long count = rows.count();
    double prepare = (System.nanoTime() - t0) / 1e9;
    try {
      long t1 = System.nanoTime();
      TargetModel demand = prepared.fit().demand(prepared.samples(), prepared.cutoff());
      double fit = (System.nanoTime() - t1) / 1e9;
      Map<String, String> hyper = demand.provenance().hyperparameters();
      int rounds = Integer.parseInt(hyper.getOrDefault("num_rounds_trained", "400"));
      int threads = Math.max(1, spark.sparkContext().defaultParallelism());
      TrainingRows same =
          TrainingRows.collect(rows, prepared.layout().width(), true, count, count);
      long t2 = System.nanoTime();
      double raw = raw(same, settings, Math.max(1, rounds), threads);
      double rawSeconds = (System.nanoTime() - t2) / 1e9;
      System.out.printf(
          "%d articles x 2 markets: %,d demand rows x %d features; samples prepared in %.1f s%n",
          articles, count, prepared.layout().width(), prepare);
      System.out.printf(
          "pricepath demand fit (holdout with early stopping, %d pass(es) of trees, terms refitted on every row): %.1f s, %d rounds%n",
          DemandFit.PASSES, fit, rounds);
      System.out.printf(
          "raw xgboost4j, one count:poisson booster, %d rounds, depth %d, eta %s, %d threads: %.1f s"
              + " (training deviance %.4f)%n",
          rounds, settings.maxDepth(), settings.eta(), threads, rawSeconds, raw);
      System.out.printf("ratio pricepath / raw: %.2f%n", fit / rawSeconds);
      // its terms, rounds and holdout figures; the code version (a hash of the code) left out
      Map<String, String> fitted = new java.util.TreeMap<>(hyper);
      fitted.remove("model_code_version");
      System.out.printf("demand model fingerprint (the same: the same model): %08x%n",
          java.util.Objects.hash(fitted.toString(), demand.provenance().metrics().toString()));
    } finally {
      rows.unpersist();
      prepared.samples().unpersist();
      spark.stop();
    }
  }

  /** Trains one booster on {@code rows}; its mean Poisson deviance on them, as a check. */
  private static double raw(TrainingRows rows, ForecastSettings settings, int rounds, int threads)
      throws Exception {
    DMatrix m = new DMatrix(rows.x, rows.size(), rows.width, Float.NaN);
    float[] label = new float[rows.size()];
    for (int i = 0; i < label.length; i++) {
      label[i] = (float) rows.y[i];
    }
    m.setLabel(label);
    Map<String, Object> params = new HashMap<>();
    params.put("objective", "count:poisson");
    params.put("max_depth", settings.maxDepth());
    params.put("eta", settings.eta());
    params.put("tree_method", "hist");
    params.put("nthread", threads);
    params.put("seed", settings.seed());
    params.put("verbosity", 0);
    params.put("verbose_eval", "false");
    Booster booster = XGBoost.train(m, params, rounds, new HashMap<>(), null, null);
    float[][] p = booster.predict(m);
    double deviance = 0;
    for (int i = 0; i < label.length; i++) {
      double y = label[i];
      double mu = Math.max(p[i][0], 1e-12);
      deviance += 2 * ((y > 0 ? y * Math.log(y / mu) : 0) - (y - mu));
    }
    booster.dispose();
    m.dispose();
    return deviance / label.length;
  }
}
