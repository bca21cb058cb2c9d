package io.pricepath.forecast.neural;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Arrays;

/**
 * What a training's checkpoint holds — the weights, Adam's moments, their moving average, the
 * best epoch so far — and its file: written beside and moved over after every epoch, read back
 * only by the training it belongs to (same fingerprint: data, labels, shape and settings).
 */
final class TrainingState {
  private static final String MAGIC = "pricepath-transformer-checkpoint-4";

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

  TrainingState(Weights weights, Weights m, Weights v, Weights best, int epoch, long step,
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

  /** The state before the first epoch: the seed's weights, zero moments. */
  static TrainingState start(NetworkShape shape, long seed) {
    Weights w = Weights.initial(shape, seed);
    TrainingState state = new TrainingState(w, Weights.zeros(shape), Weights.zeros(shape),
        w.copy(), 0, 0, 0, Double.POSITIVE_INFINITY, 0);
    state.average = w.copy();
    return state;
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
  static TrainingState read(Path file, String fingerprint, NetworkShape shape) {
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
      TrainingState state = new TrainingState(w, m, v, best, epoch, step, bestEpoch, bestScore, bad);
      state.bestWape = bestWape;
      state.bestReturnError = bestReturnError;
      state.average = average;
      return state;
    } catch (IOException e) {
      return null; // unreadable: train from the start
    }
  }

  /** What makes a training the same one: its data, labels, row split, shape and settings. */
  static String fingerprint(
      NetworkShape shape, float[] x, Labels fit, int[] train, Labels check, int[] valid,
      NetworkTraining.Settings s) {
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
}
