package io.pricepath.forecast.neural;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.training.GradientCollector;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Consumer;

/**
 * Trains the demand network on feature rows: Adam (its weights' moving average validated and
 * kept) on a Poisson loss of the uncensored weeks, batches of whole series (a series' weeks share one encoder pass), early stopping on a time-ordered
 * validation split, and a checkpoint after every epoch from which a killed training resumes to
 * the same weights as one never stopped (the order of an epoch's batches is drawn from the seed
 * and the epoch, the optimizer's state is in the checkpoint).
 */
public final class NetworkTraining {
  private static final double BETA1 = 0.9;
  private static final double BETA2 = 0.999;
  private static final double EPSILON = 1e-8;
  private static final double CLIP_NORM = 5.0;
  /** Decay per step of the weights' moving average, which is what is validated and kept. */
  private static final double AVERAGE_DECAY = 0.99;
  private static final String MAGIC = "pricepath-transformer-checkpoint-3";

  /**
   * @param model width of the encoder and heads
   * @param heads attention heads
   * @param layers encoder layers
   * @param maxEpochs most epochs
   * @param patience epochs without a better validation WAPE before stopping
   * @param batchSeries series (with all their weeks) per batch
   * @param learningRate Adam's step size
   * @param seed the seed of the weights and the batches' order
   * @param threads the engine's intra-op threads while training
   * @param device {@code auto}, {@code cpu} or {@code gpu}
   */
  public record Settings(
      int model, int heads, int layers, int maxEpochs, int patience, int batchSeries,
      double learningRate, long seed, int threads, String device) {
    String fingerprint() {
      return "%d/%d/%d/%d/%d/%d/%s/%d".formatted(
          model, heads, layers, maxEpochs, patience, batchSeries, learningRate, seed);
    }
  }

  /**
   * @param weights the weights of the best epoch
   * @param epochs epochs trained
   * @param bestEpoch the epoch whose weights are kept (1-based)
   * @param validationWape demand WAPE of the kept weights on the validation rows (NaN without)
   * @param seconds wall time of this call
   * @param sequenceWeeksPerSecond series × sequence weeks encoded per second while training
   * @param resumedAt the epoch a checkpoint was resumed after (0: none)
   * @param device where it trained
   */
  public record Result(
      Weights weights, int epochs, int bestEpoch, double validationWape, double seconds,
      double sequenceWeeksPerSecond, int resumedAt, String device) {}

  private NetworkTraining() {}

  /**
   * Trains on rows {@code train} of {@code x} (labels {@code y}), stopping early on {@code valid}
   * (none: every epoch, the last kept). With a {@code checkpoints} folder, the state is saved
   * there after every epoch (a file named by a hash of the data, shape and settings), a matching
   * one is resumed, and it is removed once the training ends.
   */
  public static Result train(
      NetworkShape shape, float[] x, double[] y, int[] train, int[] valid, Settings s,
      Path checkpoints, Consumer<String> progress) {
    long start = System.nanoTime();
    Engine engine = Engine.getInstance();
    Device device = device(engine, s.device());
    int threadsBefore = JniUtils.getNumThreads();
    JniUtils.setNumThreads(Math.max(1, s.threads()));
    String fingerprint = fingerprint(shape, x, y, train, valid, s);
    Path checkpoint = checkpoints == null ? null
        : checkpoints.resolve("transformer-%08x.ckpt".formatted(fingerprint.hashCode()));
    State state = checkpoint == null ? null : State.read(checkpoint, fingerprint, shape);
    int resumedAt = 0;
    if (state == null) {
      Weights w = Weights.initial(shape, s.seed());
      state = new State(w, Weights.zeros(shape), Weights.zeros(shape), w.copy(), 0, 0, 0,
          Double.POSITIVE_INFINITY, 0);
      state.average = w.copy();
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
          lossSum += step(root, shape, state, x, y, rows, s.learningRate());
          encoded += (long) Math.min(s.batchSeries(), order.size() - b) * shape.weeks();
          batches++;
        }
        encodeSeconds += (System.nanoTime() - epochStart) / 1e9;
        double[] scores =
            valid.length == 0
                ? new double[] {Double.NaN, Double.NaN}
                : validate(root, shape, state.average, x, y, valid);
        double wape = scores[1];
        boolean better = valid.length == 0 || scores[0] < state.bestScore;
        if (better) {
          state.best = state.average.copy();
          state.bestScore = valid.length == 0 ? Double.NaN : scores[0];
          state.bestWape = wape;
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
            "transformer epoch %d/%d: training loss %.4f, validation loss %s, WAPE %s%s, %.1f s"
                .formatted(epoch, s.maxEpochs(), lossSum / Math.max(1, batches),
                    Double.isNaN(scores[0]) ? "-" : "%.4f".formatted(scores[0]),
                    Double.isNaN(wape) ? "-" : "%.4f".formatted(wape), better ? " (best)" : "",
                    (System.nanoTime() - epochStart) / 1e9));
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
        valid.length == 0 ? Double.NaN : state.bestWape, (System.nanoTime() - start) / 1e9,
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
      NDManager root, NetworkShape shape, State state, float[] x, double[] y, int[] rows,
      double rate) {
    Inputs in = Inputs.of(shape, x, rows);
    float[] label = new float[rows.length];
    for (int r = 0; r < rows.length; r++) {
      label[r] = (float) y[rows[r]];
    }
    float[][] grads = new float[state.weights.values.length][];
    double loss;
    Pinned pinned = new Pinned();
    try (NDManager m = root.newSubManager()) {
      Map<String, NDArray> p = Network.arrays(m, pinned, state.weights, true);
      try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
        NDArray logMu = Network.logMean(m, pinned, shape, p, in).clip(-15, 15);
        NDArray l =
            logMu.exp().sub(logMu.mul(pinned.floats(m, label))).sum()
                .mul(pinned.scalar(m, 1.0 / rows.length));
        gc.backward(l);
        loss = l.getFloat();
      }
      for (int i = 0; i < grads.length; i++) {
        grads[i] = p.get(state.weights.names[i]).getGradient().toFloatArray();
      }
    }
    java.lang.ref.Reference.reachabilityFence(pinned);
    adam(state, grads, rate);
    return loss;
  }

  private static void adam(State state, float[][] grads, double rate) {
    double norm = 0;
    for (float[] g : grads) {
      for (float v : g) {
        norm += (double) v * v;
      }
    }
    norm = Math.sqrt(norm);
    double clip = norm > CLIP_NORM ? CLIP_NORM / norm : 1.0;
    state.step++;
    double c1 = 1 - StrictMath.pow(BETA1, state.step);
    double c2 = 1 - StrictMath.pow(BETA2, state.step);
    for (int i = 0; i < grads.length; i++) {
      float[] w = state.weights.values[i];
      float[] m = state.m.values[i];
      float[] v = state.v.values[i];
      float[] g = grads[i];
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

  /**
   * The training loss (Poisson) and the demand WAPE of {@code weights} on {@code rows}.
   * Early stopping goes by the loss: WAPE rewards forecasts below the mean where units are skewed,
   * and the optimizer needs expected units.
   */
  static double[] validate(
      NDManager root, NetworkShape shape, Weights weights, float[] x, double[] y, int[] rows) {
    double[] mu = predict(root, shape, weights, x, rows);
    double err = 0;
    double sum = 0;
    double loss = 0;
    for (int r = 0; r < rows.length; r++) {
      double yr = y[rows[r]];
      err += Math.abs(mu[r] - yr);
      sum += yr;
      loss += mu[r] - yr * StrictMath.log(Math.max(mu[r], 1e-300));
    }
    return new double[] {loss / rows.length, sum > 0 ? err / sum : Double.NaN};
  }

  /** μ of rows {@code rows} of {@code x}, in chunks. */
  static double[] predict(
      NDManager root, NetworkShape shape, Weights weights, float[] x, int[] rows) {
    double[] out = new double[rows.length];
    int chunk = 4096;
    Pinned pinned = new Pinned();
    try (NDManager m = root.newSubManager()) {
      Map<String, NDArray> p = Network.arrays(m, pinned, weights, false);
      for (int from = 0; from < rows.length; from += chunk) {
        int[] part = Arrays.copyOfRange(rows, from, Math.min(rows.length, from + chunk));
        Pinned inputs = new Pinned();
        try (NDManager c = m.newSubManager()) {
          float[] logMu =
              Network.logMean(c, inputs, shape, p, Inputs.of(shape, x, part)).clip(-15, 15)
                  .toFloatArray();
          for (int r = 0; r < part.length; r++) {
            out[from + r] = StrictMath.exp(logMu[r]);
          }
        }
        java.lang.ref.Reference.reachabilityFence(inputs);
      }
    }
    java.lang.ref.Reference.reachabilityFence(pinned);
    return out;
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

  private static String fingerprint(
      NetworkShape shape, float[] x, double[] y, int[] train, int[] valid, Settings s) {
    long h = 1;
    for (int r : train) {
      h = 31 * h + r;
      h = 31 * h + Double.hashCode(y[r]);
    }
    for (int r : valid) {
      h = 37 * h + r;
    }
    h = 31 * h + Arrays.hashCode(x);
    return s.fingerprint() + "/" + shape.parameters().keySet() + "/" + shape.width() + "/"
        + Long.toHexString(h);
  }

  /** What a checkpoint holds: the weights, Adam's moments, the best epoch so far. */
  private static final class State {
    Weights weights;
    final Weights m;
    final Weights v;
    Weights best;
    Weights average;
    int epoch;
    long step;
    int bestEpoch;
    double bestScore;
    double bestWape = Double.NaN;
    int bad;

    State(Weights weights, Weights m, Weights v, Weights best, int epoch, long step,
        int bestEpoch, double bestScore, int bad) {
      this.weights = weights;
      this.m = m;
      this.v = v;
      this.best = best;
      this.epoch = epoch;
      this.step = step;
      this.bestEpoch = bestEpoch;
      this.bestScore = bestScore;
      this.bad = bad;
    }

    /** Written to a file beside {@code file} and moved over it: a reader never sees half. */
    void write(Path file, String fingerprint) {
      Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
      try {
        Files.createDirectories(file.toAbsolutePath().getParent());
        try (DataOutputStream out =
            new DataOutputStream(new java.io.BufferedOutputStream(Files.newOutputStream(tmp)))) {
          out.writeUTF(MAGIC);
          out.writeUTF(fingerprint);
          out.writeInt(epoch);
          out.writeLong(step);
          out.writeInt(bestEpoch);
          out.writeDouble(bestScore);
          out.writeDouble(bestWape);
          out.writeInt(bad);
          weights.write(out);
          m.write(out);
          v.write(out);
          best.write(out);
          average.write(out);
        }
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
      } catch (IOException e) {
        throw new UncheckedIOException(
            "Cannot write the transformer's checkpoint %s: %s".formatted(file, e.getMessage()), e);
      }
    }

    /** The state in {@code file} when it is this training's (same fingerprint), else null. */
    static State read(Path file, String fingerprint, NetworkShape shape) {
      if (!Files.isRegularFile(file)) {
        return null;
      }
      try (DataInputStream in =
          new DataInputStream(new java.io.BufferedInputStream(Files.newInputStream(file)))) {
        if (!MAGIC.equals(in.readUTF()) || !fingerprint.equals(in.readUTF())) {
          return null;
        }
        int epoch = in.readInt();
        long step = in.readLong();
        int bestEpoch = in.readInt();
        double bestScore = in.readDouble();
        double bestWape = in.readDouble();
        int bad = in.readInt();
        Weights w = Weights.read(in, shape);
        Weights m = Weights.read(in, shape);
        Weights v = Weights.read(in, shape);
        Weights best = Weights.read(in, shape);
        Weights average = Weights.read(in, shape);
        State state = new State(w, m, v, best, epoch, step, bestEpoch, bestScore, bad);
        state.bestWape = bestWape;
        state.average = average;
        return state;
      } catch (IOException e) {
        return null; // unreadable: train from the start
      }
    }
  }
}
