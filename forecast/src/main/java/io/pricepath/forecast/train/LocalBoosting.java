package io.pricepath.forecast.train;

import io.pricepath.forecast.ForecastSettings;
import java.util.LinkedHashMap;
import java.util.Map;
import ml.dmlc.xgboost4j.java.Booster;
import ml.dmlc.xgboost4j.java.DMatrix;
import ml.dmlc.xgboost4j.java.XGBoost;
import ml.dmlc.xgboost4j.java.XGBoostError;

/** Boosting on the driver: the plain {@code xgboost4j} API on the collected rows. */
final class LocalBoosting implements Boosting {
  /** Fewest rows trained with more than one thread. */
  static final long THREADED_ROWS = 100_000;

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
      Map<String, DMatrix> watches = new LinkedHashMap<>();
      if (eval != null) {
        deval = matrix(set.rows(eval), job);
        watches.put("eval", deval);
      }
      Map<String, Object> params = Boosting.params(settings, job);
      // On few rows a round is too short for threads to pay: OpenMP's spinning threads then
      // only slow a shared machine down.
      params.put("nthread", dtrain.rowNum() < THREADED_ROWS ? 1 : threads);
      // xgboost4j's own console lines (each round's metric, "early stopping after …"): the
      // trainer reports what it chose in the provenance and the run's summary instead
      params.put("verbose_eval", "false");
      booster =
          XGBoost.train(dtrain, params, Math.max(1, job.rounds()), watches, null, null, null,
              eval == null ? 0 : Boosting.patience(settings));
      int best = Math.max(1, job.rounds()) - 1;
      String attribute = eval == null ? null : booster.getAttr("best_iteration");
      if (attribute != null && !attribute.isBlank()) {
        best = Math.min(job.rounds() - 1, Integer.parseInt(attribute.trim()));
      }
      return new Boosted(booster.toByteArray("ubj"), best);
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
      b.setParam("nthread", 1);
      int n = rows.size();
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
