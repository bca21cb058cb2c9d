package io.pricepath.forecast.train;

import static org.assertj.core.api.Assertions.assertThat;

import io.pricepath.forecast.ForecastSettings;
import io.pricepath.forecast.model.MarginTerms;
import io.pricepath.simulate.Sampling;
import java.time.LocalDate;
import java.util.SplittableRandom;
import ml.dmlc.xgboost4j.java.Booster;
import ml.dmlc.xgboost4j.java.XGBoost;
import org.junit.jupiter.api.Test;

/** Early stopping on the driver keeps the best rounds, and only those; no Spark. */
class LocalBoostingTest {
  private static final ForecastSettings SETTINGS =
      new ForecastSettings(
          12, new double[] {0, 0.1, 0.2}, 52, 2, 4, 400, 6, 0.3, 42L, 1, 50, 6, 65_536);

  /** Rows {@code 0 .. n)} on weeks 0 .. n (epoch days): a weak signal in much Poisson noise. */
  private static TrainingSet noisy(int n) {
    SplittableRandom random = new SplittableRandom(3);
    float[] x = new float[n * 2];
    double[] y = new double[n];
    double[] w = new double[n];
    for (int i = 0; i < n; i++) {
      x[2 * i] = (float) random.nextDouble();
      x[2 * i + 1] = (float) random.nextDouble();
      y[i] = Sampling.poisson(random, Math.exp(0.5 + 0.5 * x[2 * i]));
      w[i] = 1;
    }
    return new TrainingSet(null, TrainingRows.of(x, 2, y, w), n, true);
  }

  @Test
  void anEarlyStoppedBoosterHoldsExactlyItsBestRounds() throws Exception {
    TrainingSet set = noisy(600);
    Subset train = Subset.weeksBefore(LocalDate.ofEpochDay(400));
    Subset eval = Subset.weeks(LocalDate.ofEpochDay(400), LocalDate.ofEpochDay(600));
    Boosting.Boosted boosted =
        new LocalBoosting(SETTINGS, 1)
            .boost(set, train, eval,
                new Boosting.Job("count:poisson", 400, null, new int[0], MarginTerms.none(), null));

    // depth 6 at eta 0.3 on 400 noisy rows overfits within a few dozen rounds
    assertThat(boosted.bestIteration()).isBetween(0, 200);
    Booster booster = XGBoost.loadModel(boosted.bytes());
    try {
      assertThat(booster.getNumBoostedRound()).isEqualTo(boosted.bestIteration() + 1);
    } finally {
      booster.dispose();
    }
  }

  @Test
  void withoutAnEvalPartEveryRoundIsTrained() throws Exception {
    Boosting.Boosted boosted =
        new LocalBoosting(SETTINGS, 1)
            .boost(noisy(200), Subset.ALL, null,
                new Boosting.Job("count:poisson", 25, null, new int[0], MarginTerms.none(), null));

    assertThat(boosted.bestIteration()).isEqualTo(24);
    Booster booster = XGBoost.loadModel(boosted.bytes());
    try {
      assertThat(booster.getNumBoostedRound()).isEqualTo(25);
    } finally {
      booster.dispose();
    }
  }

  @Test
  void readsTheMetricOfAnEvaluationLine() {
    assertThat(LocalBoosting.score("[12]\teval-poisson-nloglik:1.25")).isEqualTo(1.25);
    assertThat(LocalBoosting.score("[0]\teval-rmse:nan")).isEqualTo(Double.POSITIVE_INFINITY);
  }
}
