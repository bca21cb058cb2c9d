package io.pricepath.forecast.neural;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Activation;
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
 * Trains the network on feature rows: Adam (its weights' moving average validated and kept) on a
 * Poisson loss of the uncensored weeks plus, with a return-rate output, the binomial loss of the
 * sale weeks' return rates weighted by units sold (which trains only that output's weights);
 * batches of whole series (a series' weeks share one encoder pass), early stopping on the demand
 * loss of a time-ordered validation split, and a checkpoint after every epoch from which a killed
 * training resumes to the same weights as one never stopped (the order of an epoch's batches is drawn from the seed
 * and the epoch, the optimizer's state is in the checkpoint).
 */
public final class NetworkTraining {
  private static final double BETA1 = 0.9;
  private static final double BETA2 = 0.999;
  private static final double EPSILON = 1e-8;
  private static final double CLIP_NORM = 5.0;
  /** Decay per step of the weights' moving average, which is what is validated and kept. */
  private static final double AVERAGE_DECAY = 0.99;
  private static final String MAGIC = "pricepath-transformer-checkpoint-4";

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
   * What the network learns from, per row of the feature array: units sold ({@code NaN}: no
   * demand label — a sold-out week, or a row of the other split), the share of them returned and
   * its weight (the units sold; 0: no return-rate label).
   */
  public record Labels(double[] units, double[] returnRate, double[] returnWeight) {
    /** Demand labels only. */
    public static Labels demand(double[] units) {
      return new Labels(units, new double[units.length], new double[units.length]);
    }

    boolean hasDemand(int row) {
      return !Double.isNaN(units[row]);
    }

    boolean hasReturns(int row) {
      return returnWeight[row] > 0;
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

  /** As {@link #train(NetworkShape, float[], Labels, int[], Labels, int[], Settings, Path, Consumer)} with demand labels {@code y} only. */
  public static Result train(
      NetworkShape shape, float[] x, double[] y, int[] train, int[] valid, Settings s,
      Path checkpoints, Consumer<String> progress) {
    Labels labels = Labels.demand(y);
    return train(shape, x, labels, train, labels, valid, s, checkpoints, progress);
  }

  /**
   * Trains on rows {@code train} of {@code x} with labels {@code fit}, stopping early on rows
   * {@code valid} with labels {@code check} (no rows: every epoch, the last kept) by the demand
   * loss (the return-rate output does not change demand: see {@link Network}). With a {@code checkpoints} folder, the state is saved there after every
   * epoch (a file named by a hash of the data, shape and settings), a matching one is resumed,
   * and it is removed once the training ends.
   */
  public static Result train(
      NetworkShape shape, float[] x, Labels fit, int[] train, Labels check, int[] valid,
      Settings s, Path checkpoints, Consumer<String> progress) {
    long start = System.nanoTime();
    Engine engine = Engine.getInstance();
    Device device = device(engine, s.device());
    int threadsBefore = JniUtils.getNumThreads();
    JniUtils.setNumThreads(Math.max(1, s.threads()));
    String fingerprint = fingerprint(shape, x, fit, train, check, valid, s);
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
          lossSum += step(root, shape, state, x, fit, rows, s);
          encoded += (long) Math.min(s.batchSeries(), order.size() - b) * shape.weeks();
          batches++;
        }
        encodeSeconds += (System.nanoTime() - epochStart) / 1e9;
        double[] scores =
            valid.length == 0
                ? new double[] {Double.NaN, Double.NaN, Double.NaN}
                : validate(root, shape, state.average, x, check, valid);
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
      NDManager root, NetworkShape shape, State state, float[] x, Labels labels, int[] rows,
      Settings s) {
    Inputs in = Inputs.of(shape, x, rows);
    Targets t = Targets.of(labels, rows);
    float[][] grads = new float[state.weights.values.length][];
    double loss;
    Pinned pinned = new Pinned();
    try (NDManager m = root.newSubManager()) {
      Map<String, NDArray> p = Network.arrays(m, pinned, state.weights, true);
      try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
        NDArray l =
            loss(m, pinned, shape, Network.forward(m, pinned, shape, p, in), t, s.responsePrior());
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
   * The labels of a batch as the loss reads them: units (0 where there is none) and whether
   * each row has one, return rates and their weights, and the two normalisers.
   */
  private record Targets(
      float[] units, float[] demandMask, float[] rates, float[] rateWeights, int demandRows,
      double weight) {
    static Targets of(Labels labels, int[] rows) {
      int n = rows.length;
      float[] units = new float[n];
      float[] mask = new float[n];
      float[] rates = new float[n];
      float[] weights = new float[n];
      int demandRows = 0;
      double weight = 0;
      for (int r = 0; r < n; r++) {
        int i = rows[r];
        if (labels.hasDemand(i)) {
          units[r] = (float) labels.units()[i];
          mask[r] = 1f;
          demandRows++;
        }
        if (labels.hasReturns(i)) {
          rates[r] = (float) labels.returnRate()[i];
          weights[r] = (float) labels.returnWeight()[i];
          weight += labels.returnWeight()[i];
        }
      }
      return new Targets(units, mask, rates, weights, demandRows, weight);
    }
  }

  /**
   * The batch's loss: the Poisson loss per demand row; the response prior, {@code prior · mean
   * over rows (slope − reference elasticity)²} — the data alone pulls the response flatter than
   * the within-series reference where deeper discounts go to slower sellers; and, with a
   * return-rate output, the binomial loss per unit sold ({@code softplus(z) − r·z} is {@code
   * −r·log σ(z) − (1−r)·log(1−σ(z))}).
   */
  private static NDArray loss(
      NDManager m, Pinned pinned, NetworkShape shape, Network.Outputs out, Targets t,
      double prior) {
    NDArray logMu = out.logMean().clip(-15, 15);
    NDArray l =
        logMu.exp().sub(logMu.mul(pinned.floats(m, t.units()))).mul(pinned.floats(m, t.demandMask()))
            .sum().mul(pinned.scalar(m, 1.0 / Math.max(1, t.demandRows())));
    if (prior > 0 && shape.elasticity() > NetworkShape.MIN_REFERENCE) {
      l = l.add(out.slope().sub(pinned.scalar(m, shape.elasticity())).square().mean()
          .mul(pinned.scalar(m, prior)));
    }
    if (shape.returnHead() && t.weight() > 0) {
      NDArray z = out.returnLogit();
      l = l.add(
          Activation.softPlus(z).sub(z.mul(pinned.floats(m, t.rates())))
              .mul(pinned.floats(m, t.rateWeights())).sum()
              .mul(pinned.scalar(m, 1.0 / t.weight())));
    }
    return l;
  }

  /**
   * One Adam step. The gradient is clipped to norm {@link #CLIP_NORM} per output — the return
   * rate's own weights apart from the rest — so the return-rate output leaves demand's steps as
   * they would be without it.
   */
  private static void adam(State state, float[][] grads, double rate) {
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

  /**
   * The demand loss (Poisson, per row), the demand WAPE and the return-rate error (mean absolute
   * difference weighted by units sold; NaN without that output or labels) of {@code weights} on
   * {@code rows}. Early stopping goes by the loss: WAPE rewards forecasts below the mean where
   * units are skewed, and the optimizer needs expected units.
   */
  static double[] validate(
      NDManager root, NetworkShape shape, Weights weights, float[] x, Labels labels, int[] rows) {
    double[][] out = predict(root, shape, weights, x, rows);
    double err = 0;
    double sum = 0;
    double demandLoss = 0;
    int demandRows = 0;
    double returnErr = 0;
    double weight = 0;
    for (int r = 0; r < rows.length; r++) {
      int i = rows[r];
      if (labels.hasDemand(i)) {
        double yr = labels.units()[i];
        double mu = out[0][r];
        err += Math.abs(mu - yr);
        sum += yr;
        demandLoss += mu - yr * StrictMath.log(Math.max(mu, 1e-300));
        demandRows++;
      }
      if (out[1] != null && labels.hasReturns(i)) {
        double w = labels.returnWeight()[i];
        double rate = labels.returnRate()[i];
        returnErr += w * Math.abs(out[1][r] - rate);
        weight += w;
      }
    }
    return new double[] {
      demandRows > 0 ? demandLoss / demandRows : Double.NaN, sum > 0 ? err / sum : Double.NaN, weight > 0 ? returnErr / weight : Double.NaN
    };
  }

  /**
   * The outputs for rows {@code rows} of {@code x}, in chunks: μ, and the return rate where the
   * shape has that output (else null).
   */
  static double[][] predict(
      NDManager root, NetworkShape shape, Weights weights, float[] x, int[] rows) {
    double[] mu = new double[rows.length];
    double[] rate = shape.returnHead() ? new double[rows.length] : null;
    int chunk = 4096;
    Pinned pinned = new Pinned();
    try (NDManager m = root.newSubManager()) {
      Map<String, NDArray> p = Network.arrays(m, pinned, weights, false);
      for (int from = 0; from < rows.length; from += chunk) {
        int[] part = Arrays.copyOfRange(rows, from, Math.min(rows.length, from + chunk));
        Pinned inputs = new Pinned();
        try (NDManager c = m.newSubManager()) {
          Network.Outputs out =
              Network.forward(c, inputs, shape, p, Inputs.of(shape, x, part));
          exp(out.logMean(), mu, from);
          if (rate != null) {
            sigmoid(out.returnLogit(), rate, from);
          }
        }
        java.lang.ref.Reference.reachabilityFence(inputs);
      }
    }
    java.lang.ref.Reference.reachabilityFence(pinned);
    return new double[][] {mu, rate};
  }

  /** {@code exp} of a log mean (clipped to ±15) into {@code out} from {@code at}. */
  static void exp(NDArray logMean, double[] out, int at) {
    float[] v = logMean.clip(-15, 15).toFloatArray();
    for (int r = 0; r < v.length; r++) {
      out[at + r] = StrictMath.exp(v[r]);
    }
  }

  /** The logistic function of a logit into {@code out} from {@code at}. */
  static void sigmoid(NDArray logit, double[] out, int at) {
    float[] v = logit.toFloatArray();
    for (int r = 0; r < v.length; r++) {
      out[at + r] = 1 / (1 + StrictMath.exp(-v[r]));
    }
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
      NetworkShape shape, float[] x, Labels fit, int[] train, Labels check, int[] valid,
      Settings s) {
    long h = 1;
    for (int r : train) {
      h = 31 * h + r;
      h = 31 * h + Double.hashCode(fit.units()[r]);
      h = 31 * h + Double.hashCode(fit.returnRate()[r]);
      h = 31 * h + Double.hashCode(fit.returnWeight()[r]);
    }
    for (int r : valid) {
      h = 37 * h + r;
      h = 37 * h + Double.hashCode(check.units()[r]);
      h = 37 * h + Double.hashCode(check.returnWeight()[r]);
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
    double bestReturnError = Double.NaN;
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
          out.writeDouble(bestReturnError);
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
        double bestReturnError = in.readDouble();
        int bad = in.readInt();
        Weights w = Weights.read(in, shape);
        Weights m = Weights.read(in, shape);
        Weights v = Weights.read(in, shape);
        Weights best = Weights.read(in, shape);
        Weights average = Weights.read(in, shape);
        State state = new State(w, m, v, best, epoch, step, bestEpoch, bestScore, bad);
        state.bestWape = bestWape;
        state.bestReturnError = bestReturnError;
        state.average = average;
        return state;
      } catch (IOException e) {
        return null; // unreadable: train from the start
      }
    }
  }
}
