package io.pricepath.forecast.train;

import io.pricepath.forecast.ForecastSettings;
import java.util.Map;
import ml.dmlc.xgboost4j.java.Booster;
import ml.dmlc.xgboost4j.java.DMatrix;
import ml.dmlc.xgboost4j.java.XGBoost;
import ml.dmlc.xgboost4j.java.XGBoostError;

/** Boosting on the driver: the plain {@code xgboost4j} API on the collected rows. */
final class LocalBoosting implements Boosting {
  /** Fewest rows trained with more than one thread. */
  static final long THREADED_ROWS = 20_000;

  private final ForecastSettings settings;
  private final int threads;

  LocalBoosting(ForecastSettings settings, int threads) {
    this.settings = settings;
    this.threads = Math.max(1, threads);
  }

  @Override
  public Boosted boost(TrainingSet set, Subset train, Subset eval, Job job) {
    DMatrix dtrain = null;
    DMatrix deval = null;
    Booster booster = null;
    try {
      dtrain = matrix(set.rows(train), job);
      Map<String, Object> params = Boosting.params(settings, job);
      // On few rows a round is too short for threads to pay: OpenMP's spinning threads then
      // only slow a shared machine down.
      params.put("nthread", dtrain.rowNum() < THREADED_ROWS ? 1 : threads);
      // xgboost4j's own console lines (each round's metric, "early stopping after …"): the
      // trainer reports what it chose in the provenance and the run's summary instead
      params.put("verbose_eval", "false");
      int rounds = Math.max(1, job.rounds());
      booster = XGBoost.train(dtrain, params, eval == null ? rounds : 1, Map.of(), null, null);
      if (eval == null) {
        return new Boosted(booster.toByteArray("ubj"), rounds - 1);
      }
      deval = matrix(set.rows(eval), job);
      return earlyStopped(booster, dtrain, deval, rounds, Boosting.patience(settings));
    } catch (XGBoostError e) {
      throw new IllegalStateException(
          "Cannot train the %s booster: %s".formatted(job.objective(), e.getMessage()), e);
    } finally {
      if (booster != null) {
        booster.dispose();
      }
      if (dtrain != null) {
        dtrain.dispose();
      }
      if (deval != null) {
        deval.dispose();
      }
    }
  }

  /**
   * Trains {@code booster} (one round done) on until {@code rounds} or {@code patience} rounds
   * without a lower metric on {@code deval}; the booster as it was at its best round, so that the
   * model holds exactly the rounds early stopping chose (xgboost4j's own early stopping keeps the
   * patience rounds after the best one too).
   */
  private static Boosted earlyStopped(
      Booster booster, DMatrix dtrain, DMatrix deval, int rounds, int patience)
      throws XGBoostError {
    DMatrix[] sets = {deval};
    String[] names = {"eval"};
    double bestScore = score(booster.evalSet(sets, names, 0));
    int best = 0;
    byte[] bestBytes = booster.toByteArray("ubj");
    for (int round = 1; round < rounds && round - best <= patience; round++) {
      booster.update(dtrain, round);
      double score = score(booster.evalSet(sets, names, round));
      if (score < bestScore) {
        bestScore = score;
        best = round;
        bestBytes = booster.toByteArray("ubj");
      }
    }
    return new Boosted(bestBytes, best);
  }

  /** The metric of an xgboost evaluation line ({@code "[3]\teval-rmse:0.25"}). */
  static double score(String evaluation) {
    String last = evaluation.substring(evaluation.lastIndexOf(':') + 1).trim();
    try {
      double value = Double.parseDouble(last);
      return Double.isNaN(value) ? Double.POSITIVE_INFINITY : value;
    } catch (NumberFormatException e) {
      return Double.POSITIVE_INFINITY; // xgboost's "nan", "inf": never a best round
    }
  }

  private static DMatrix matrix(TrainingRows rows, Job job) throws XGBoostError {
    int n = rows.size();
    DMatrix m = new DMatrix(rows.hiding(job.hidden()), n, rows.width, Float.NaN);
    float[] label = new float[n];
    float[] weight = new float[n];
    for (int i = 0; i < n; i++) {
      label[i] = (float) rows.y[i];
      weight[i] = (float) rows.w[i];
    }
    m.setLabel(label);
    m.setWeight(weight);
    if (job.baseScore() != null) {
      double[] margins = rows.margins(job.base());
      float[] base = new float[n];
      for (int i = 0; i < n; i++) {
        base[i] = (float) margins[i];
      }
      m.setBaseMargin(base);
    }
    return m;
  }

  /** The trees' margins (link scale, without base margins) of {@code booster} on {@code rows}. */
  static double[] treeMargins(byte[] booster, TrainingRows rows) {
    Booster b = null;
    try {
      b = XGBoost.loadModel(booster);
      int n = rows.size();
      // the driver's cores, as the boosters on it use them (one below THREADED_ROWS)
      b.setParam("nthread",
          n < THREADED_ROWS ? 1 : Math.min(4, Runtime.getRuntime().availableProcessors()));
      double[] out = new double[n];
      int batch = 65_536;
      for (int start = 0; start < n; start += batch) {
        int m = Math.min(batch, n - start);
        float[] slice = java.util.Arrays.copyOfRange(rows.x, start * rows.width, (start + m) * rows.width);
        float[][] p =
            b.inplace_predict(slice, m, rows.width, Float.NaN, new int[] {0, 0},
                Booster.PredictionType.kMargin, null);
        for (int i = 0; i < m; i++) {
          out[start + i] = p[i][0];
        }
      }
      return out;
    } catch (XGBoostError | java.io.IOException e) {
      throw new IllegalStateException(
          "Cannot score the training rows with the booster: %s".formatted(e.getMessage()), e);
    } finally {
      if (b != null) {
        b.dispose();
      }
    }
  }
}
