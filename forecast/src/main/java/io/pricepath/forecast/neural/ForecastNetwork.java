package io.pricepath.forecast.neural;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.pytorch.jni.JniUtils;
import java.io.IOException;
import java.io.Serializable;
import java.util.Map;

/**
 * A trained network — demand, and the return rate where it has that output: its shape and weights (plain arrays: this is what is saved and what
 * travels to the executors), and the engine state built from them lazily in the JVM that
 * predicts — one set of parameter arrays per instance, released by {@link #close()}.
 */
public final class ForecastNetwork implements Serializable, AutoCloseable {
  private static final long serialVersionUID = 1L;

  /** What a prediction asks of the network. */
  public enum Output {
    /** Expected units: {@code exp(log μ)}. */
    DEMAND,
    /** The share of sold units returned: {@code σ(logit r)}. */
    RETURN_RATE
  }

  /** Predictions run with one intra-op thread: a Spark task is one core. */
  private static volatile boolean oneThread;

  private final NetworkShape shape;
  private final Weights weights;
  private transient NDManager manager;
  private transient Pinned pinned;
  private transient Map<String, NDArray> parameters;

  ForecastNetwork(NetworkShape shape, Weights weights) {
    this.shape = shape;
    this.weights = weights;
  }

  /**
   * The network {@link #bytes()} wrote, for {@code shape}.
   *
   * @throws IOException when the bytes do not fit the shape
   */
  public static ForecastNetwork read(NetworkShape shape, byte[] bytes) throws IOException {
    return new ForecastNetwork(shape, Weights.fromBytes(bytes, shape));
  }

  /** The weights as bytes (what a model folder stores). */
  public byte[] bytes() {
    return weights.toBytes();
  }

  /** Number of weights. */
  public int weightCount() {
    return weights.count();
  }

  /** Whether the network has a return-rate output. */
  public boolean hasReturnRate() {
    return shape.returnHead();
  }

  /**
   * {@code output} of {@code rows} feature rows of {@code x} (row-major, the shape's width) into
   * {@code out}; rows of one series at one origin share one encoder pass.
   *
   * @throws IllegalArgumentException when the return rate is asked of a network without it
   */
  public synchronized void predict(Output output, float[] x, int rows, double[] out) {
    if (output == Output.RETURN_RATE && !shape.returnHead()) {
      throw new IllegalArgumentException(
          "Cannot predict the return rate: this network has no return-rate output");
    }
    if (manager == null) {
      Engine.getInstance();
      if (!oneThread) {
        JniUtils.setNumThreads(1);
        oneThread = true;
      }
      manager = NDManager.newBaseManager();
      pinned = new Pinned();
      parameters = Network.arrays(manager, pinned, weights, false);
    }
    int chunk = 8192;
    int[] index = new int[Math.min(rows, chunk)];
    for (int from = 0; from < rows; from += chunk) {
      int n = Math.min(chunk, rows - from);
      if (index.length != n) {
        index = new int[n];
      }
      for (int r = 0; r < n; r++) {
        index[r] = from + r;
      }
      Pinned inputs = new Pinned();
      try (NDManager m = manager.newSubManager()) {
        Network.Outputs o = Network.forward(m, inputs, shape, parameters, Inputs.of(shape, x, index));
        if (output == Output.DEMAND) {
          NetworkTraining.exp(o.logMean(), out, from);
        } else {
          NetworkTraining.sigmoid(o.returnLogit(), out, from);
        }
      }
      java.lang.ref.Reference.reachabilityFence(inputs);
    }
  }

  /** Releases the engine's arrays; the network stays usable. */
  @Override
  public synchronized void close() {
    if (manager != null) {
      manager.close();
      manager = null;
      parameters = null;
      pinned = null;
    }
  }

  /** The network a training ended with. */
  public static ForecastNetwork of(NetworkTraining.Result result, NetworkShape shape) {
    return new ForecastNetwork(shape, result.weights());
  }
}
