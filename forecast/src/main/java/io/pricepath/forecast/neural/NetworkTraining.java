package io.pricepath.forecast.neural;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.training.GradientCollector;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Consumer;

/**
 * Trains the network on feature rows: Adam (its weights' moving average validated and kept) on a
 * Poisson loss of the uncensored weeks plus, with a return-rate output, the binomial loss of the
 * sale weeks' return rates weighted by units sold (which trains only that output's weights);
 * batches of whole series (a series' weeks share one encoder pass), early stopping on the demand
 * loss of a time-ordered validation split, and a checkpoint after every epoch from which a killed
 * training resumes to the same weights as one never stopped (the order of an epoch's batches is
 * drawn from the seed and the epoch, the optimizer's state is in the checkpoint).
 */
public final class NetworkTraining {
  private static final double BETA1 = 0.9;
  private static final double BETA2 = 0.999;
  private static final double EPSILON = 1e-8;
  private static final double CLIP_NORM = 5.0;
  /** Decay per step of the weights' moving average, which is what is validated and kept. */
  private static final double AVERAGE_DECAY = 0.99;

  /**
   * @param model width of the encoder and heads
   * @param heads attention heads
   * @param layers encoder layers
   * @param maxEpochs most epochs
   * @param patience epochs without a better validation loss before stopping
   * @param batchSeries series (with all their weeks) per batch
   * @param learningRate Adam's step size
   * @param responsePrior weight of the penalty {@code mean over rows (slope − reference)²} that
   *     holds each row's discount response to the shape's reference elasticity (0, or a shape
   *     without one: none)
   * @param seed the seed of the weights and the batches' order
   * @param threads the engine's intra-op threads while training
   * @param device {@code auto}, {@code cpu} or {@code gpu}
   */
  public record Settings(
      int model, int heads, int layers, int maxEpochs, int patience, int batchSeries,
      double learningRate, double responsePrior, long seed, int threads, String device) {
    String fingerprint() {
      return "%d/%d/%d/%d/%d/%d/%s/%s/%d".formatted(
          model, heads, layers, maxEpochs, patience, batchSeries, learningRate, responsePrior, seed);
    }
  }

  /**
   * @param weights the weights of the best epoch
   * @param epochs epochs trained
   * @param bestEpoch the epoch whose weights are kept (1-based)
   * @param validationWape demand WAPE of the kept weights on the validation rows (NaN without)
   * @param returnValidationError the kept weights' return-rate error on the validation rows: the
   *     mean absolute difference weighted by units sold (NaN without)
   * @param seconds wall time of this call
   * @param sequenceWeeksPerSecond series × sequence weeks encoded per second while training
   * @param resumedAt the epoch a checkpoint was resumed after (0: none)
   * @param device where it trained
   */
  public record Result(
      Weights weights, int epochs, int bestEpoch, double validationWape,
      double returnValidationError, double seconds, double sequenceWeeksPerSecond, int resumedAt,
      String device) {}

  private NetworkTraining() {}

  /**
   * As {@link #train(NetworkShape, float[], Labels, int[], Labels, int[], Settings, Path,
   * Consumer)} with demand labels {@code y} only.
   */
  public static Result train(
      NetworkShape shape, float[] x, double[] y, int[] train, int[] valid, Settings s,
      Path checkpoints, Consumer<String> progress) {
    Labels labels = Labels.demand(y);
    return train(shape, x, labels, train, labels, valid, s, checkpoints, progress);
  }

  /**
   * Trains on rows {@code train} of {@code x} with labels {@code fit}, stopping early on rows
   * {@code valid} with labels {@code check} (no rows: every epoch, the last kept) by the demand
   * loss (the return-rate output does not change demand: see {@link Network}). With a {@code
   * checkpoints} folder, the state is saved there after every epoch (a file named by a hash of the
   * data, shape and settings), a matching one is resumed, and it is removed once the training
   * ends.
   */
  public static Result train(
      NetworkShape shape, float[] x, Labels fit, int[] train, Labels check, int[] valid,
      Settings s, Path checkpoints, Consumer<String> progress) {
    long start = System.nanoTime();
    Engine engine = Engine.getInstance();
    Device device = device(engine, s.device());
    int threadsBefore = JniUtils.getNumThreads();
    JniUtils.setNumThreads(Math.max(1, s.threads()));
    String fingerprint = TrainingState.fingerprint(shape, x, fit, train, check, valid, s);
    Path checkpoint = checkpoints == null ? null
        : checkpoints.resolve("transformer-%08x.ckpt".formatted(fingerprint.hashCode()));
    TrainingState state =
        checkpoint == null ? null : TrainingState.read(checkpoint, fingerprint, shape);
    int resumedAt = 0;
    if (state == null) {
      state = TrainingState.start(shape, s.seed());
    } else {
      resumedAt = state.epoch;
      progress.accept("transformer: resuming after epoch %d from %s".formatted(state.epoch, checkpoint));
    }
    int[][] series = series(shape, x, train);
    long encoded = 0;
    double encodeSeconds = 0;
    try (NDManager root = NDManager.newBaseManager(device)) {
      while (state.epoch < s.maxEpochs() && state.bad <= s.patience()) {
        long epochStart = System.nanoTime();
        int epoch = state.epoch + 1;
        List<int[]> order = new ArrayList<>(Arrays.asList(series));
        java.util.Collections.shuffle(order, new Random(s.seed() * 1_000_003L + epoch));
        double lossSum = 0;
        int batches = 0;
        for (int b = 0; b < order.size(); b += s.batchSeries()) {
          int[] rows = concat(order.subList(b, Math.min(order.size(), b + s.batchSeries())));
          lossSum += step(root, shape, state, x, fit, rows, s);
          encoded += (long) Math.min(s.batchSeries(), order.size() - b) * shape.weeks();
          batches++;
        }
        encodeSeconds += (System.nanoTime() - epochStart) / 1e9;
        double[] scores =
            valid.length == 0
                ? new double[] {Double.NaN, Double.NaN, Double.NaN}
                : Losses.validate(root, shape, state.average, x, check, valid);
        double wape = scores[1];
        boolean better = valid.length == 0 || scores[0] < state.bestScore;
        if (better) {
          state.best = state.average.copy();
          state.bestScore = valid.length == 0 ? Double.NaN : scores[0];
          state.bestWape = wape;
          state.bestReturnError = scores[2];
          state.bestEpoch = epoch;
          state.bad = 0;
        } else {
          state.bad++;
        }
        state.epoch = epoch;
        if (checkpoint != null) {
          state.write(checkpoint, fingerprint);
        }
        progress.accept(
            "transformer epoch %d/%d: training loss %.4f, validation loss %s, WAPE %s%s%s, %.1f s"
                .formatted(epoch, s.maxEpochs(), lossSum / Math.max(1, batches),
                    Double.isNaN(scores[0]) ? "-" : "%.4f".formatted(scores[0]),
                    Double.isNaN(wape) ? "-" : "%.4f".formatted(wape),
                    Double.isNaN(scores[2]) ? "" : ", return-rate error %.4f".formatted(scores[2]),
                    better ? " (best)" : "", (System.nanoTime() - epochStart) / 1e9));
      }
    } finally {
      JniUtils.setNumThreads(threadsBefore);
    }
    if (checkpoint != null) {
      try {
        Files.deleteIfExists(checkpoint);
      } catch (IOException e) {
        progress.accept("transformer: cannot remove the checkpoint %s: %s".formatted(checkpoint, e.getMessage()));
      }
    }
    return new Result(state.best, state.epoch, state.bestEpoch,
        valid.length == 0 ? Double.NaN : state.bestWape,
        valid.length == 0 ? Double.NaN : state.bestReturnError, (System.nanoTime() - start) / 1e9,
        encodeSeconds > 0 ? encoded / encodeSeconds : Double.NaN, resumedAt, device.toString());
  }

  /** Where to train: the GPU when asked for or, with {@code auto}, when the engine has one. */
  static Device device(Engine engine, String setting) {
    return switch (setting) {
      case "cpu" -> Device.cpu();
      case "gpu" -> {
        if (engine.getGpuCount() == 0) {
          throw new IllegalArgumentException(
              "Cannot train the transformer on a GPU: the %s engine finds none (set forecast.transformer.device = auto or cpu)"
                  .formatted(engine.getEngineName()));
        }
        yield Device.gpu();
      }
      default -> engine.getGpuCount() > 0 ? Device.gpu() : Device.cpu();
    };
  }

  /** One Adam step on {@code rows}; the batch's loss. */
  private static double step(
      NDManager root, NetworkShape shape, TrainingState state, float[] x, Labels labels, int[] rows,
      Settings s) {
    Inputs in = Inputs.of(shape, x, rows);
    Losses.Targets t = Losses.Targets.of(labels, rows);
    float[][] grads = new float[state.weights.values.length][];
    double loss;
    Pinned pinned = new Pinned();
    try (NDManager m = root.newSubManager()) {
      Map<String, NDArray> p = Network.arrays(m, pinned, state.weights, true);
      try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
        NDArray l =
            Losses.loss(m, pinned, shape, Network.forward(m, pinned, shape, p, in), t,
                s.responsePrior());
        gc.backward(l);
        loss = l.getFloat();
      }
      for (int i = 0; i < grads.length; i++) {
        grads[i] = p.get(state.weights.names[i]).getGradient().toFloatArray();
      }
    }
    java.lang.ref.Reference.reachabilityFence(pinned);
    adam(state, grads, s.learningRate());
    return loss;
  }

  /**
   * One Adam step. The gradient is clipped to norm {@link #CLIP_NORM} per output — the return
   * rate's own weights apart from the rest — so the return-rate output leaves demand's steps as
   * they would be without it.
   */
  private static void adam(TrainingState state, float[][] grads, double rate) {
    double[] norms = new double[2];
    for (int i = 0; i < grads.length; i++) {
      for (float v : grads[i]) {
        norms[group(state.weights.names[i])] += (double) v * v;
      }
    }
    double[] clips = new double[2];
    for (int k = 0; k < 2; k++) {
      double norm = Math.sqrt(norms[k]);
      clips[k] = norm > CLIP_NORM ? CLIP_NORM / norm : 1.0;
    }
    state.step++;
    double c1 = 1 - StrictMath.pow(BETA1, state.step);
    double c2 = 1 - StrictMath.pow(BETA2, state.step);
    for (int i = 0; i < grads.length; i++) {
      float[] w = state.weights.values[i];
      float[] m = state.m.values[i];
      float[] v = state.v.values[i];
      float[] g = grads[i];
      double clip = clips[group(state.weights.names[i])];
      for (int k = 0; k < w.length; k++) {
        double gk = g[k] * clip;
        m[k] = (float) (BETA1 * m[k] + (1 - BETA1) * gk);
        v[k] = (float) (BETA2 * v[k] + (1 - BETA2) * gk * gk);
        w[k] -= (float) (rate * (m[k] / c1) / (Math.sqrt(v[k] / c2) + EPSILON));
      }
      float[] a = state.average.values[i];
      for (int k = 0; k < w.length; k++) {
        a[k] = (float) (AVERAGE_DECAY * a[k] + (1 - AVERAGE_DECAY) * w[k]);
      }
    }
  }

  /** 1 for the return-rate output's own weights, 0 for the rest. */
  private static int group(String parameter) {
    return parameter.startsWith("return.") ? 1 : 0;
  }

  /** The rows of each series (same sequence block and base level) among {@code rows}. */
  static int[][] series(NetworkShape shape, float[] x, int[] rows) {
    long[] group = Inputs.groups(shape, x, rows, new int[rows.length]);
    int groups = (int) group[rows.length];
    int[] counts = new int[groups];
    for (int r = 0; r < rows.length; r++) {
      counts[(int) group[r]]++;
    }
    int[][] out = new int[groups][];
    for (int g = 0; g < out.length; g++) {
      out[g] = new int[counts[g]];
    }
    int[] fill = new int[groups];
    for (int r = 0; r < rows.length; r++) {
      int g = (int) group[r];
      out[g][fill[g]++] = rows[r];
    }
    return out;
  }

  private static int[] concat(List<int[]> parts) {
    int n = 0;
    for (int[] p : parts) {
      n += p.length;
    }
    int[] out = new int[n];
    int at = 0;
    for (int[] p : parts) {
      System.arraycopy(p, 0, out, at, p.length);
      at += p.length;
    }
    return out;
  }
}
