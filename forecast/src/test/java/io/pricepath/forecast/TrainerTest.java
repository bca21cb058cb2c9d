package io.pricepath.forecast;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.HashMap;
import java.util.Map;
import java.util.SplittableRandom;
import ml.dmlc.xgboost4j.java.Booster;
import ml.dmlc.xgboost4j.java.DMatrix;
import ml.dmlc.xgboost4j.java.XGBoost;
import org.junit.jupiter.api.Test;

/** The two demand stages become one booster that predicts what the stages predict together. */
class TrainerTest {
  private static final int ROWS = 300;
  private static final int COLS = 3;

  @Test
  void mergedBoosterPredictsBothStagesTogether() throws Exception {
    SplittableRandom random = new SplittableRandom(9);
    float[] x = new float[ROWS * COLS];
    float[] y = new float[ROWS];
    for (int i = 0; i < ROWS; i++) {
      for (int j = 0; j < COLS; j++) {
        x[i * COLS + j] = (float) random.nextDouble();
      }
      y[i] = Math.round(3 * Math.exp(x[i * COLS] + 2 * x[i * COLS + 2]) * random.nextDouble());
    }
    Map<String, Object> params = new HashMap<>();
    params.put("objective", "count:poisson");
    params.put("max_depth", 3);
    params.put("nthread", 1);
    params.put("seed", 1);
    DMatrix levelData = new DMatrix(x, ROWS, COLS, Float.NaN);
    levelData.setLabel(y);
    Booster level = XGBoost.train(levelData, params, 8, new HashMap<>(), null, null);
    float[][] levelPrediction = level.predict(new DMatrix(x, ROWS, COLS, Float.NaN));
    float[] margin = new float[ROWS];
    for (int i = 0; i < ROWS; i++) {
      margin[i] = (float) Math.log(levelPrediction[i][0]);
    }
    DMatrix responseData = new DMatrix(x, ROWS, COLS, Float.NaN);
    responseData.setLabel(y);
    responseData.setBaseMargin(margin);
    Booster response = XGBoost.train(responseData, params, 6, new HashMap<>(), null, null);
    DMatrix withMargin = new DMatrix(x, ROWS, COLS, Float.NaN);
    withMargin.setBaseMargin(margin);
    float[][] expected = response.predict(withMargin);

    Booster merged =
        XGBoost.loadModel(
            Trainer.mergeBoosters(level.toByteArray("ubj"), response.toByteArray("ubj")));
    float[][] actual = merged.inplace_predict(x, ROWS, COLS, Float.NaN);
    assertThat(merged.getNumBoostedRound()).isEqualTo(14);
    for (int i = 0; i < ROWS; i++) {
      assertThat((double) actual[i][0]).isCloseTo(expected[i][0], within(1e-4 * expected[i][0]));
    }
    level.dispose();
    response.dispose();
    merged.dispose();
  }
}
