package io.pricepath.forecast.train;

import static org.apache.spark.sql.functions.col;

import io.pricepath.features.FeatureBuilder;
import io.pricepath.forecast.ForecastSettings;
import io.pricepath.forecast.model.MarginTerms;
import java.util.Iterator;
import ml.dmlc.xgboost4j.java.XGBoostError;
import ml.dmlc.xgboost4j.scala.spark.XGBoostRegressionModel;
import ml.dmlc.xgboost4j.scala.spark.XGBoostRegressor;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * Distributed boosting with XGBoost4J-Spark ({@code forecast.workers} workers) for targets whose
 * rows are too many for the driver. The base margins are the same Java {@link MarginTerms} as on
 * the driver, computed inside {@code mapPartitions}.
 */
final class SparkBoosting implements Boosting {
  private static final String STAGED = "_staged_features";
  private static final String MARGIN = "_margin";

  private final ForecastSettings settings;

  SparkBoosting(ForecastSettings settings) {
    this.settings = settings;
  }

  @Override
  public Boosted boost(TrainingSet set, Subset train, Subset eval, Job job) {
    XGBoostRegressor regressor = new XGBoostRegressor();
    regressor.setFeaturesCol(STAGED);
    regressor.setLabelCol(TrainingRows.LABEL);
    regressor.setWeightCol(TrainingRows.WEIGHT);
    regressor.setNumRound(Math.max(1, job.rounds()));
    regressor.setMaxDepth(settings.maxDepth());
    regressor.setEta(job.rounds() == 0 ? 0.0 : settings.eta());
    regressor.setSeed(settings.seed());
    regressor.setNumWorkers(settings.numWorkers());
    regressor.setObjective(job.objective());
    regressor.setTreeMethod("hist");
    regressor.setMissing(Float.NaN);
    regressor.setVerbosity(0);
    regressor.setRabitTrackerTimeout(settings.trackerTimeoutSeconds());
    if (job.monotone() != null) {
      // XGBoost4J-Spark 3.1.1 passes an int array as "[I@…"; the string form reaches the booster.
      regressor.xgboost2SparkParams(
          new scala.collection.immutable.Map.Map1<String, Object>(
              "monotone_constraints", Boosting.monotoneString(job.monotone())));
    }
    if (job.baseScore() != null) {
      regressor.setBaseMarginCol(MARGIN);
      regressor.setBaseScore(job.baseScore());
    }
    if (eval != null) {
      regressor.setEvalDataset(staged(set.spark(eval), job));
      regressor.setNumEarlyStoppingRounds(Boosting.patience(settings));
      Object metric = Boosting.params(settings, job).get("eval_metric");
      if (metric != null) {
        regressor.setEvalMetric(metric.toString());
      }
    }
    XGBoostRegressionModel model = fit(regressor, staged(set.spark(train), job), job);
    try {
      int rounds = Math.max(1, job.rounds());
      int best = eval == null ? rounds - 1 : bestIteration(model, rounds);
      if (model.nativeBooster().getNumBoostedRound() > best + 1) {
        // XGBoost4J-Spark keeps the rounds after the best one; the model holds the best rounds
        // only, so they are trained again (on Spark the one training that is done twice)
        return boost(set, train, null,
            new Job(job.objective(), best + 1, job.monotone(), job.hidden(), job.base(),
                job.baseScore()));
      }
      return new Boosted(model.nativeBooster().toByteArray("ubj"), best);
    } catch (XGBoostError e) {
      throw new IllegalStateException(
          "Cannot serialize the trained booster (%s): %s".formatted(job.objective(), e.getMessage()),
          e);
    } finally {
      model.nativeBooster().dispose();
    }
  }

  /**
   * Trains on the executors. XGBoost's collective cannot go on without one of its workers: a lost
   * executor fails the barrier stage, whose retries fail on the tracker (after the tracker
   * timeout at most), and the step then fails with this message; finished steps are kept.
   */
  private XGBoostRegressionModel fit(XGBoostRegressor regressor, Dataset<Row> rows, Job job) {
    try {
      return regressor.fit(rows);
    } catch (Exception e) { // SparkException, though Java does not see it declared
      String cause = String.valueOf(e.getMessage()).lines().findFirst().orElse("").replaceAll("\\.+$", "");
      throw new IllegalStateException(
          ("Cannot train the %s booster with XGBoost4J-Spark on %d workers: %s. Where an executor"
                  + " was lost, distributed XGBoost cannot continue (its barrier stage needs every"
                  + " worker at once); run the same command again: the steps already done are kept")
              .formatted(job.objective(), settings.numWorkers(),
                  cause.length() > 300 ? cause.substring(0, 300) + "…" : cause),
          e);
    }
  }

  /** The rows as XGBoost reads them: hidden features missing, label, weight, base margin. */
  private static Dataset<Row> staged(Dataset<Row> rows, Job job) {
    StructType schema =
        new StructType()
            .add(STAGED, DataTypes.createArrayType(DataTypes.FloatType, true), false)
            .add(TrainingRows.LABEL, DataTypes.DoubleType, false)
            .add(TrainingRows.WEIGHT, DataTypes.DoubleType, false)
            .add(MARGIN, DataTypes.DoubleType, false);
    int[] hidden = job.hidden();
    MarginTerms base = job.base();
    MapPartitionsFunction<Row, Row> stage =
        it -> new Iterator<>() {
          @Override
          public boolean hasNext() {
            return it.hasNext();
          }

          @Override
          public Row next() {
            Row r = it.next();
            float[] f = TrainingRows.featureArray(r.get(0)).clone();
            double margin = base.margin(f, 0);
            for (int c : hidden) {
              f[c] = Float.NaN;
            }
            return RowFactory.create(f, r.getDouble(1), r.getDouble(2), margin);
          }
        };
    return rows.select(
            col(FeatureBuilder.FEATURES),
            col(TrainingRows.LABEL).cast(DataTypes.DoubleType),
            col(TrainingRows.WEIGHT).cast(DataTypes.DoubleType))
        .mapPartitions(stage, Encoders.row(schema));
  }

  private static int bestIteration(XGBoostRegressionModel model, int rounds) throws XGBoostError {
    String attribute = model.nativeBooster().getAttr("best_iteration");
    if (attribute != null && !attribute.isBlank()) {
      return Math.min(rounds - 1, Integer.parseInt(attribute.trim()));
    }
    if (model.summary().isDefined()
        && !model.summary().get().validationObjectiveHistory().isEmpty()) {
      float[] history = model.summary().get().validationObjectiveHistory().head()._2();
      int best = 0;
      for (int i = 1; i < history.length; i++) {
        if (history[i] < history[best]) {
          best = i;
        }
      }
      return best;
    }
    return rounds - 1;
  }

}
