package io.pricepath.forecast.neural;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDManager;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The network and its training on plain arrays: no Spark, a few seconds on the CPU. */
class NetworkTest {
  @TempDir Path dir;

  private static NetworkTraining.Settings settings(int epochs) {
    return new NetworkTraining.Settings(8, 2, 1, epochs, 3, 32, 0.01, 0, 7L, 1, "cpu");
  }

  @Test
  void demandIsNonDecreasingInTheDiscountWhateverTheWeights() {
    NetworkShape shape = SyntheticSeries.shape(8, 2, 1);
    double[] ladder = {0, 0.05, 0.1, 0.3, 0.5, 0.7, 0.9};
    for (long seed = 1; seed <= 5; seed++) {
      Weights w = Weights.initial(shape, seed);
      java.util.Random random = new java.util.Random(seed);
      for (float[] v : w.values) { // far from the start: any weights at all
        for (int i = 0; i < v.length; i++) {
          v[i] += (float) random.nextGaussian();
        }
      }
      float[] x = new float[20 * ladder.length * SyntheticSeries.WIDTH];
      for (int s = 0; s < 20; s++) {
        for (int k = 0; k < ladder.length; k++) {
          SyntheticSeries.row(x, s * ladder.length + k, s % 2, s % 3, 1 + s, ladder[k]);
        }
      }
      ForecastNetwork net = new ForecastNetwork(shape, w);
      double[] mu = new double[20 * ladder.length];
      net.predict(ForecastNetwork.Output.DEMAND, x, mu.length, mu);
      net.close();
      for (int s = 0; s < 20; s++) {
        for (int k = 1; k < ladder.length; k++) {
          assertThat(mu[s * ladder.length + k])
              .as("series %d, seed %d, discount %s", s, seed, ladder[k])
              .isGreaterThanOrEqualTo(mu[s * ladder.length + k - 1]);
        }
      }
    }
  }

  @Test
  void rowsOfOneSeriesShareOneEncoderPassItsLevelsOneHeadPassAndTheRampFollowsTheKnots() {
    NetworkShape shape = SyntheticSeries.shape(8, 2, 1);
    float[] x = new float[4 * SyntheticSeries.WIDTH];
    SyntheticSeries.row(x, 0, 0, 1, 5, 0.1);
    SyntheticSeries.row(x, 1, 0, 1, 5, 0.35);
    SyntheticSeries.row(x, 2, 1, 3, 5, 0.1); // same history and level, another market: same pass
    SyntheticSeries.row(x, 3, 0, 1, 6, 0.1); // another level: its own pass
    Inputs in = Inputs.of(shape, x, new int[] {0, 1, 2, 3});
    assertThat(in.groups).isEqualTo(2);
    assertThat(IntStream.range(0, 4).mapToLong(in::group).toArray()).containsExactly(0, 0, 0, 1);
    // the two discounts of one week share a pass of the heads; another market does not
    assertThat(in.heads).isEqualTo(3);
    assertThat(in.head).containsExactly(0, 0, 1, 2);
    // units relative to the base level: log1p(5) - log1p(5) = 0 in every known week
    assertThat(in.sequence[0]).isEqualTo(0f);
    float[] ramp = new float[NetworkShape.KNOTS.length];
    Inputs.ramp(0.35f, NetworkShape.KNOTS, ramp, 0);
    assertThat(ramp[0]).isEqualTo(0.1f);
    assertThat(ramp[2]).isEqualTo(0.1f);
    assertThat(ramp[3]).isCloseTo(0.05f, org.assertj.core.data.Offset.offset(1e-6f));
    assertThat(ramp[4]).isEqualTo(0f);
    // an unknown brand reads as the table's last row
    assertThat(in.codes[2][0]).isEqualTo(1);
    assertThat(in.codes[0]).containsExactly(0, 1, 0);
  }

  @Test
  void learnsLevelsAndEachSeriesOwnDiscountResponseNearTheNoiseFloor() {
    NetworkShape shape = SyntheticSeries.shape(8, 2, 1);
    SyntheticSeries train = SyntheticSeries.draw(600, 4, 1);
    SyntheticSeries test = SyntheticSeries.draw(300, 4, 2);
    int[] all = IntStream.range(0, train.y.length).toArray();
    int[] fit = IntStream.range(0, 2000).toArray();
    int[] valid = IntStream.range(2000, all.length).toArray();
    NetworkTraining.Result r =
        NetworkTraining.train(shape, train.x, train.y, fit, valid, settings(40), null, line -> {});
    double[] mu = new double[test.y.length];
    ForecastNetwork net = ForecastNetwork.of(r, shape);
    net.predict(ForecastNetwork.Output.DEMAND, test.x, mu.length, mu);
    double err = 0;
    double floor = 0;
    double sum = 0;
    for (int i = 0; i < mu.length; i++) {
      err += Math.abs(mu[i] - test.y[i]);
      floor += Math.abs(test.truth[i] - test.y[i]);
      sum += test.y[i];
    }
    assertThat(err / sum).as("WAPE against the noise floor %.4f", floor / sum)
        .isLessThan(1.10 * floor / sum);
    // the uplift from 0 to 50 % off: exp(0.5) for sensitivity 1, exp(1.5) for 3
    double[] up = uplifts(net);
    assertThat(up[0]).isBetween(Math.exp(0.5) * 0.8, Math.exp(0.5) * 1.25);
    assertThat(up[1]).isBetween(Math.exp(1.5) * 0.8, Math.exp(1.5) * 1.25);
    net.close();
  }

  @Test
  void learnsEachArticlesReturnRateAndItsRiseWithTheDiscountBesideDemand() {
    NetworkShape shape = SyntheticSeries.shape(8, 2, 1, true);
    SyntheticSeries train = SyntheticSeries.draw(600, 4, 4);
    SyntheticSeries test = SyntheticSeries.draw(300, 4, 5);
    Labels labels = train.labels();
    int[] fit = IntStream.range(0, 2000).toArray();
    int[] valid = IntStream.range(2000, train.y.length).toArray();
    NetworkTraining.Result r =
        NetworkTraining.train(shape, train.x, labels, fit, labels, valid, settings(40), null,
            line -> {});
    assertThat(r.returnValidationError()).isBetween(0.0, 1.0);
    ForecastNetwork net = ForecastNetwork.of(r, shape);
    int n = test.y.length;
    double[] mu = new double[n];
    double[] rate = new double[n];
    net.predict(ForecastNetwork.Output.DEMAND, test.x, n, mu);
    net.predict(ForecastNetwork.Output.RETURN_RATE, test.x, n, rate);
    double err = 0;
    double floor = 0;
    double sum = 0;
    double rateErr = 0;
    double units = 0;
    for (int i = 0; i < n; i++) {
      err += Math.abs(mu[i] - test.y[i]);
      floor += Math.abs(test.truth[i] - test.y[i]);
      sum += test.y[i];
      rateErr += test.y[i] * Math.abs(rate[i] - test.returnTruth[i]);
      units += test.y[i];
    }
    assertThat(err / sum).as("demand WAPE against the noise floor %.4f", floor / sum)
        .isLessThan(1.10 * floor / sum);
    assertThat(rateErr / units).as("return rate's distance from the truth").isLessThan(0.03);
    // each article's own ratio, and its rise from 0 to 50 % off
    float[] x = new float[4 * SyntheticSeries.WIDTH];
    SyntheticSeries.row(x, 0, 0, 1, 10, 0, 0.15);
    SyntheticSeries.row(x, 1, 0, 1, 10, 0.5, 0.15);
    SyntheticSeries.row(x, 2, 0, 1, 10, 0, 0.5);
    SyntheticSeries.row(x, 3, 0, 1, 10, 0.5, 0.5);
    double[] p = new double[4];
    net.predict(ForecastNetwork.Output.RETURN_RATE, x, 4, p);
    double[] truth = {
      SyntheticSeries.returnRate(0.15, 0), SyntheticSeries.returnRate(0.15, 0.5),
      SyntheticSeries.returnRate(0.5, 0), SyntheticSeries.returnRate(0.5, 0.5)
    };
    for (int i = 0; i < 4; i++) {
      assertThat(p[i]).as("row %d", i).isCloseTo(truth[i], org.assertj.core.data.Offset.offset(0.04));
    }
    // the return-rate output leaves demand as it is without it, bit for bit
    NetworkTraining.Result alone =
        NetworkTraining.train(SyntheticSeries.shape(8, 2, 1), train.x, train.y, fit, valid,
            settings(40), null, line -> {});
    double[] muAlone = new double[n];
    ForecastNetwork.of(alone, SyntheticSeries.shape(8, 2, 1))
        .predict(ForecastNetwork.Output.DEMAND, test.x, n, muAlone);
    assertThat(mu).containsExactly(muAlone);
    assertThat(r.bestEpoch()).isEqualTo(alone.bestEpoch());
    net.close();
    ForecastNetwork demandOnly =
        new ForecastNetwork(SyntheticSeries.shape(8, 2, 1), Weights.initial(SyntheticSeries.shape(8, 2, 1), 1));
    org.assertj.core.api.Assertions.assertThatThrownBy(
            () -> demandOnly.predict(ForecastNetwork.Output.RETURN_RATE, x, 4, p))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("no return-rate output");
  }

  @Test
  void theResponsePriorHoldsEachRowsResponseNearTheReferenceElasticity() {
    // sensitivities 1 and 3 around a reference of 2: free, the network learns each; held by a
    // strong prior, both responses move towards the reference
    NetworkShape shape = SyntheticSeries.shape(8, 2, 1, false, 2.0);
    SyntheticSeries train = SyntheticSeries.draw(600, 4, 1);
    int[] fit = IntStream.range(0, 2000).toArray();
    int[] valid = IntStream.range(2000, train.y.length).toArray();
    double[] free = uplifts(shape, train, fit, valid, 0);
    double[] held = uplifts(shape, train, fit, valid, 5);
    for (int k = 0; k < 2; k++) {
      double reference = Math.exp(0.5 * 2.0);
      assertThat(Math.abs(Math.log(held[k] / reference)))
          .as("sensitivity %d: held %.3f, free %.3f, reference %.3f", 2 * k + 1, held[k], free[k], reference)
          .isLessThan(Math.abs(Math.log(free[k] / reference)) * 0.8);
    }
  }

  /** Uplifts from 0 to 50 % off that a training with {@code prior} learns, sensitivity 1 and 3. */
  private static double[] uplifts(
      NetworkShape shape, SyntheticSeries train, int[] fit, int[] valid, double prior) {
    NetworkTraining.Settings s =
        new NetworkTraining.Settings(8, 2, 1, 40, 3, 32, 0.01, prior, 7L, 1, "cpu");
    ForecastNetwork net =
        ForecastNetwork.of(
            NetworkTraining.train(shape, train.x, train.y, fit, valid, s, null, line -> {}), shape);
    double[] up = uplifts(net);
    net.close();
    return up;
  }

  /** The uplifts from 0 to 50 % off that {@code net} forecasts, sensitivity 1 and 3. */
  private static double[] uplifts(ForecastNetwork net) {
    float[] x = new float[4 * SyntheticSeries.WIDTH];
    SyntheticSeries.row(x, 0, 0, 1, 10, 0);
    SyntheticSeries.row(x, 1, 0, 1, 10, 0.5);
    SyntheticSeries.row(x, 2, 0, 3, 10, 0);
    SyntheticSeries.row(x, 3, 0, 3, 10, 0.5);
    double[] p = new double[4];
    net.predict(ForecastNetwork.Output.DEMAND, x, 4, p);
    return new double[] {p[1] / p[0], p[3] / p[2]};
  }

  @Test
  void threadsPredictWithOneSharedNetworkAsOneThreadDoesAndLeaveNoArraysBehind() throws Exception {
    NetworkShape shape = SyntheticSeries.shape(8, 2, 1, true);
    Weights w = Weights.initial(shape, 3);
    SyntheticSeries data = SyntheticSeries.draw(500, 6, 8);
    int n = data.y.length;
    ForecastNetwork net = new ForecastNetwork(shape, w);
    double[] demand = new double[n];
    double[] rate = new double[n];
    net.predict(ForecastNetwork.Output.DEMAND, data.x, n, demand);
    net.predict(ForecastNetwork.Output.RETURN_RATE, data.x, n, rate);
    java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(4);
    List<java.util.concurrent.Future<double[][]>> runs = new ArrayList<>();
    for (int t = 0; t < 8; t++) {
      runs.add(pool.submit(() -> {
        double[][] out = new double[2][n];
        for (int k = 0; k < 5; k++) {
          net.predict(ForecastNetwork.Output.DEMAND, data.x, n, out[0]);
          net.predict(ForecastNetwork.Output.RETURN_RATE, data.x, n, out[1]);
        }
        return out;
      }));
    }
    for (java.util.concurrent.Future<double[][]> f : runs) {
      double[][] out = f.get();
      assertThat(out[0]).containsExactly(demand);
      assertThat(out[1]).containsExactly(rate);
    }
    pool.shutdown();
    assertThat(net.engineArrays()).as("arrays the engine still holds").isEqualTo(w.names.length);
    net.close();
  }

  @Test
  void aTrainingStoppedAfterAnEpochResumesToTheSameWeights() throws Exception {
    NetworkShape shape = SyntheticSeries.shape(8, 2, 1);
    SyntheticSeries data = SyntheticSeries.draw(200, 4, 3);
    int[] fit = IntStream.range(0, 600).toArray();
    int[] valid = IntStream.range(600, 800).toArray();
    NetworkTraining.Result whole =
        NetworkTraining.train(shape, data.x, data.y, fit, valid, settings(5), null, line -> {});
    List<String> lines = new ArrayList<>();
    try {
      NetworkTraining.train(shape, data.x, data.y, fit, valid, settings(5), dir, line -> {
        lines.add(line);
        if (lines.size() == 2) {
          throw new IllegalStateException("stopped");
        }
      });
    } catch (IllegalStateException expected) {
      assertThat(expected).hasMessage("stopped");
    }
    try (var files = Files.list(dir)) {
      assertThat(files.filter(f -> f.toString().endsWith(".ckpt")).count()).isEqualTo(1);
    }
    NetworkTraining.Result resumed =
        NetworkTraining.train(shape, data.x, data.y, fit, valid, settings(5), dir, lines::add);
    assertThat(resumed.resumedAt()).isEqualTo(2);
    assertThat(lines).anyMatch(l -> l.contains("resuming after epoch 2"));
    assertThat(resumed.bestEpoch()).isEqualTo(whole.bestEpoch());
    assertThat(resumed.weights().toBytes()).isEqualTo(whole.weights().toBytes());
    try (var files = Files.list(dir)) {
      assertThat(files.count()).as("the checkpoint goes once the training is done").isZero();
    }
  }

  @Test
  void savedWeightsReadBackOnlyIntoTheirShape() throws Exception {
    NetworkShape shape = SyntheticSeries.shape(8, 2, 1);
    Weights w = Weights.initial(shape, 11);
    assertThat(Weights.fromBytes(w.toBytes(), shape).toBytes()).isEqualTo(w.toBytes());
    org.assertj.core.api.Assertions.assertThatThrownBy(
            () -> Weights.fromBytes(w.toBytes(), SyntheticSeries.shape(16, 2, 1)))
        .isInstanceOf(java.io.IOException.class)
        .hasMessageContaining("in.w");
    try (NDManager m = NDManager.newBaseManager()) {
      assertThat(Network.arrays(m, new Pinned(), w, false)).hasSize(w.names.length);
    }
  }
}
