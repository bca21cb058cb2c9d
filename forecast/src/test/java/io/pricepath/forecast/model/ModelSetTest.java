package io.pricepath.forecast.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pricepath.features.FeatureLayout;
import io.pricepath.features.OriginState;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import ml.dmlc.xgboost4j.java.Booster;
import ml.dmlc.xgboost4j.java.DMatrix;
import ml.dmlc.xgboost4j.java.XGBoost;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The Spark-free model layer: boosters shipped as bytes, constants, saving and loading. */
class ModelSetTest {
  private static final FeatureLayout LAYOUT =
      new FeatureLayout(
          new FeatureLayout.Spec(
              new FeatureLayout.Vocabulary("market", List.of("DE", "FR")),
              new FeatureLayout.Vocabulary("category", List.of("shirts")),
              new FeatureLayout.Vocabulary("brand", List.of()),
              List.of(),
              List.of(),
              List.of()));
  private static final int WIDTH = LAYOUT.width();
  private static final int ROWS = 400;
  private static float[] x;
  private static Booster booster;

  @TempDir Path dir;

  /** A small Poisson booster, monotone increasing in the discount features. */
  @BeforeAll
  static void trainBooster() throws Exception {
    SplittableRandom random = new SplittableRandom(11);
    int discount = LAYOUT.names().indexOf(FeatureLayout.DISCOUNT);
    x = new float[ROWS * WIDTH];
    float[] y = new float[ROWS];
    for (int i = 0; i < ROWS; i++) {
      for (int j = 0; j < WIDTH; j++) {
        x[i * WIDTH + j] = (float) random.nextDouble();
      }
      // a noisy response that is not monotone in the discount by itself
      y[i] = (float) Math.round(5 * Math.exp(x[i * WIDTH + discount]) + 3 * random.nextDouble()
          - 2 * Math.sin(9 * x[i * WIDTH + discount]));
    }
    DMatrix train = new DMatrix(x, ROWS, WIDTH, Float.NaN);
    train.setLabel(y);
    Map<String, Object> params = new HashMap<>();
    params.put("objective", "count:poisson");
    params.put("max_depth", 3);
    params.put("eta", 0.3);
    params.put("nthread", 1);
    params.put("seed", 1);
    StringBuilder constraints = new StringBuilder("(");
    int[] m = LAYOUT.monotoneIncreasing();
    for (int j = 0; j < m.length; j++) {
      constraints.append(j == 0 ? "" : ",").append(m[j]);
    }
    params.put("monotone_constraints", constraints.append(")").toString());
    booster = XGBoost.train(train, params, 20, new HashMap<>(), null, null);
  }

  private static Provenance provenance(Target target, String kind) {
    return provenance(target, kind, Map.of("max_depth", "3"));
  }

  private static Provenance provenance(Target target, String kind, Map<String, String> hyper) {
    List<String> names =
        target.articleLevel() ? LAYOUT.names().subList(0, LAYOUT.articleWidth()) : LAYOUT.names();
    return new Provenance(
        target.column(), kind, "2024-10-07", "2024-01-29", "2024-09-30", names, LAYOUT.spec(),
        "count:poisson", hyper, 1L, Map.of("xgboost4j-spark", "3.1.1"),
        "rows=400;hash=1", ROWS, Map.of("holdout_wape", 0.3), List.of("a note"));
  }

  private static TargetModel demand() throws Exception {
    return TargetModel.xgboost(
        Target.DEMAND, booster.toByteArray("ubj"), WIDTH, provenance(Target.DEMAND, "xgboost"));
  }

  private static ModelSet set() throws Exception {
    List<TargetModel> models = new ArrayList<>();
    models.add(demand());
    models.add(TargetModel.constant(Target.RETURN_RATE, 0.25, WIDTH, provenance(Target.RETURN_RATE, "constant")));
    models.add(TargetModel.constant(Target.RETURN_WEEKS, 2, WIDTH, provenance(Target.RETURN_WEEKS, "constant")));
    models.add(
        TargetModel.constant(
            Target.FULFILLMENT_COST_PER_UNIT, 3.5, WIDTH,
            provenance(Target.FULFILLMENT_COST_PER_UNIT, "constant")));
    models.add(
        TargetModel.constant(
            Target.RESIDUAL_VALUE_PER_UNIT, 4, LAYOUT.articleWidth(),
            provenance(Target.RESIDUAL_VALUE_PER_UNIT, "constant")));
    return ModelSet.of(LAYOUT, models);
  }

  @Test
  void boosterModelPredictsWhatTheBoosterPredicts() throws Exception {
    float[][] expected = booster.predict(new DMatrix(x, ROWS, WIDTH, Float.NaN));
    double[] out = new double[ROWS];
    demand().predict(x, ROWS, WIDTH, out);
    for (int i = 0; i < ROWS; i++) {
      assertThat(out[i]).isEqualTo(expected[i][0]);
    }
  }

  @Test
  void aLogisticBoosterOnAPriorAndAReturnResponsePredictsWithThatMargin() throws Exception {
    // a return-rate-like target around a per-row prior probability held in one feature (unknown
    // in every tenth row: the default prior 0.3), a discount slope of -0.8 on the logit
    int prior = LAYOUT.returnRatioIndex();
    int discount = LAYOUT.discountIndex();
    int reference = LAYOUT.returnDiscountIndex();
    ReturnResponse response = new ReturnResponse(prior, discount, reference, 0.3, 0.1, -0.8);
    SplittableRandom random = new SplittableRandom(3);
    float[] rates = new float[ROWS];
    float[] margins = new float[ROWS];
    float[] data = x.clone();
    for (int i = 0; i < ROWS; i++) {
      double p = 0.05 + 0.6 * random.nextDouble();
      data[i * WIDTH + prior] = i % 10 == 0 ? Float.NaN : (float) p;
      if (i % 7 == 0) {
        data[i * WIDTH + reference] = Float.NaN;
      }
      double ref = Float.isNaN(data[i * WIDTH + reference]) ? 0 : data[i * WIDTH + reference];
      float known = data[i * WIDTH + prior];
      margins[i] =
          (float) (ReturnResponse.logit(Float.isNaN(known) ? 0.3 : known)
              + 0.1 - 0.8 * (data[i * WIDTH + discount] - ref));
      assertThat(response.margin(data, i * WIDTH))
          .isCloseTo(margins[i], org.assertj.core.api.Assertions.within(1e-5));
      rates[i] = (float) Math.min(1, p * (0.8 + 0.4 * data[i * WIDTH]));
    }
    DMatrix train = new DMatrix(data, ROWS, WIDTH, Float.NaN);
    train.setLabel(rates);
    train.setBaseMargin(margins);
    Map<String, Object> params = new HashMap<>();
    params.put("objective", "reg:logistic");
    params.put("base_score", 0.5);
    params.put("max_depth", 3);
    params.put("nthread", 1);
    Booster logistic = XGBoost.train(train, params, 10, new HashMap<>(), null, null);
    float[][] expected = logistic.predict(train);
    Provenance demandLike = provenance(Target.RETURN_RATE, "xgboost", response.hyperparameters());
    Provenance provenance =
        new Provenance(demandLike.target(), "xgboost", demandLike.planWeek(),
            demandLike.trainingFrom(), demandLike.trainingTo(), demandLike.features(),
            demandLike.layout(), "reg:logistic", demandLike.hyperparameters(), 1L,
            demandLike.libraryVersions(), demandLike.dataFingerprint(), demandLike.trainingRows(),
            demandLike.metrics(), demandLike.notes());
    TargetModel model =
        TargetModel.xgboost(Target.RETURN_RATE, logistic.toByteArray("ubj"), WIDTH, provenance);
    double[] out = new double[ROWS];
    model.predict(data, ROWS, WIDTH, out);
    for (int i = 0; i < ROWS; i++) {
      assertThat(out[i]).isCloseTo(expected[i][0], org.assertj.core.api.Assertions.within(1e-5));
    }
    logistic.dispose();
  }

  @Test
  void demandIsNonDecreasingInTheDiscount() throws Exception {
    TargetModel model = demand();
    SplittableRandom random = new SplittableRandom(5);
    double[] ladder = {0, 0.1, 0.2, 0.3, 0.5, 0.7, 0.9};
    float[] grid = new float[ladder.length * WIDTH];
    double[] out = new double[ladder.length];
    for (int trial = 0; trial < 200; trial++) {
      for (int j = 0; j < WIDTH; j++) {
        grid[j] = (float) random.nextDouble();
      }
      OriginState state = state(random.nextDouble() * 0.5);
      for (int k = 0; k < ladder.length; k++) {
        System.arraycopy(grid, 0, grid, k * WIDTH, WIDTH);
        LAYOUT.setDiscount(grid, k * WIDTH, state, ladder[k]);
      }
      model.predict(grid, ladder.length, WIDTH, out);
      for (int k = 1; k < ladder.length; k++) {
        assertThat(out[k]).isGreaterThanOrEqualTo(out[k - 1]);
      }
    }
  }

  private static OriginState state(double liveDiscount) {
    return new OriginState(
        "A", "DE", "shirts", null, new String[0], new double[0], 1, null, null, 10, 1, 1, 1,
        liveDiscount, 0, 0, 1, 1, Double.NaN, null, OriginState.RecentWeeks.NONE,
        OriginState.LaunchPriors.NONE, OriginState.ReturnHistory.NONE, new double[0]);
  }

  @Test
  void survivesJavaSerializationAsOnTheExecutors() throws Exception {
    ModelSet original = set();
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
      out.writeObject(original);
    }
    ModelSet copy;
    try (ObjectInputStream in =
        new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
      copy = (ModelSet) in.readObject();
    }
    double[] a = new double[ROWS];
    double[] b = new double[ROWS];
    original.get(Target.DEMAND).predict(x, ROWS, WIDTH, a);
    copy.get(Target.DEMAND).predict(x, ROWS, WIDTH, b);
    assertThat(b).containsExactly(a);
    assertThat(copy.version()).isEqualTo(original.version());
    copy.close();
    copy.get(Target.DEMAND).predict(x, ROWS, WIDTH, b);
    assertThat(b).containsExactly(a);
  }

  @Test
  void savesAndLoadsTheSameModels() throws Exception {
    ModelSet original = set();
    String folder = dir.resolve("models").toString();
    original.save(folder, new Configuration());
    assertThat(Files.exists(dir.resolve("models/demand/model.ubj"))).isTrue();
    assertThat(Files.exists(dir.resolve("models/return_rate/model.ubj"))).isFalse();
    assertThat(Files.readString(dir.resolve("models/demand/provenance.json")))
        .contains("\"objective\" : \"count:poisson\"", "\"holdout_wape\" : 0.3");

    ModelSet loaded = ModelSet.load(folder, new Configuration());
    assertThat(loaded.version()).isEqualTo(original.version());
    assertThat(loaded.layout()).isEqualTo(LAYOUT);
    for (Target t : Target.values()) {
      assertThat(loaded.get(t).version()).isEqualTo(original.get(t).version());
      assertThat(loaded.get(t).provenance()).isEqualTo(original.get(t).provenance());
    }
    double[] out = new double[3];
    loaded.get(Target.RETURN_RATE).predict(x, 3, WIDTH, out);
    assertThat(out).containsExactly(0.25, 0.25, 0.25);
  }

  @Test
  void refusesAFolderWhoseModelWasAltered() throws Exception {
    String folder = dir.resolve("models").toString();
    set().save(folder, new Configuration());
    Path json = dir.resolve("models/return_weeks/provenance.json");
    Files.writeString(json, Files.readString(json).replace("\"constant\" : 2.0", "\"constant\" : 3.0"));
    assertThatThrownBy(() -> ModelSet.load(folder, new Configuration()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("Cannot load models from " + folder + ": the return_weeks model hashes to ")
        .hasMessageEndingWith("(the folder was altered; retrain)");
  }

  @Test
  void refusesAnIncompleteSetOrAWrongShape() throws Exception {
    assertThatThrownBy(() -> ModelSet.of(LAYOUT, List.of(demand())))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("Cannot assemble models: no model for target return_rate");
    TargetModel constant =
        TargetModel.constant(Target.RETURN_RATE, 0.1, WIDTH, provenance(Target.RETURN_RATE, "constant"));
    assertThatThrownBy(() -> constant.predict(new float[10], 1, 10, new double[1]))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("Cannot predict with the return_rate model: it reads %d feature columns, got 10"
            .formatted(WIDTH));
  }
}
