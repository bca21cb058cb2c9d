package io.pricepath.forecast.neural;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.pytorch.jni.JniUtils;
import java.io.IOException;
import java.io.Serializable;
import java.lang.ref.Cleaner;
import java.lang.ref.Reference;
import java.util.Map;

/**
 * A trained network — demand, and the return rate where it has that output: its shape and
 * weights (plain arrays: this is what is saved and what travels to the executors), and the
 * engine's copy of them, built once in the JVM that predicts and shared by every thread that
 * predicts with this instance (the forecast grid's tasks of one executor share one instance, a
 * broadcast). Released by {@link #close()}, or when the instance is no longer reachable.
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

  /** Rows per forward pass: the ladder levels of 256 series-weeks of a 12-week, 8-level grid. */
  static final int CHUNK_ROWS = 8192;

  private static final Cleaner CLEANER = Cleaner.create();

  /** Predictions run with one intra-op thread: a Spark task is one core. */
  private static volatile boolean oneThread;

  private final NetworkShape shape;
  private final Weights weights;
  private transient volatile Loaded loaded;

  /** The engine's parameter arrays, the memory under them, and what releases both. */
  private record Loaded(Map<String, NDArray> parameters, Pinned pinned, Cleaner.Cleanable release) {}

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

  private Loaded loaded() {
    Loaded l = loaded;
    if (l != null) {
      return l;
    }
    synchronized (this) {
      if (loaded == null) {
        Engine.getInstance();
        if (!oneThread) {
          JniUtils.setNumThreads(1);
          oneThread = true;
        }
        NDManager manager = NDManager.newBaseManager();
        Pinned pinned = new Pinned();
        Map<String, NDArray> parameters = Network.arrays(manager, pinned, weights, false);
        // the action holds the manager and the memory, not this network
        Cleaner.Cleanable release = CLEANER.register(this, () -> {
          manager.close();
          Reference.reachabilityFence(pinned);
        });
        loaded = new Loaded(parameters, pinned, release);
      }
      return loaded;
    }
  }

  /**
   * {@code output} of {@code rows} feature rows of {@code x} (row-major, the shape's width) into
   * {@code out}; rows of one series at one origin share one encoder pass. Threads may predict at
   * once (each pass runs on the calling thread, one intra-op thread).
   *
   * @throws IllegalArgumentException when the return rate is asked of a network without it
   */
  public void predict(Output output, float[] x, int rows, double[] out) {
    if (output == Output.RETURN_RATE && !shape.returnHead()) {
      throw new IllegalArgumentException(
          "Cannot predict the return rate: this network has no return-rate output");
    }
    Loaded l = loaded();
    NDManager parametersManager = l.parameters().values().iterator().next().getManager();
    int[] index = new int[Math.min(rows, CHUNK_ROWS)];
    for (int from = 0; from < rows; from += CHUNK_ROWS) {
      int n = Math.min(CHUNK_ROWS, rows - from);
      if (index.length != n) {
        index = new int[n];
      }
      for (int r = 0; r < n; r++) {
        index[r] = from + r;
      }
      Pinned inputs = new Pinned();
      try (NDManager m = parametersManager.newSubManager()) {
        Network.Outputs o =
            Network.forward(m, inputs, shape, l.parameters(), Inputs.of(shape, x, index));
        if (output == Output.DEMAND) {
          Network.exp(o.logMean(), out, from);
        } else {
          Network.sigmoid(o.returnLogit(), out, from);
        }
      }
      Reference.reachabilityFence(inputs);
    }
    Reference.reachabilityFence(l);
  }

  /** Arrays the engine holds for this network between predictions (its parameters: nothing else stays). */
  int engineArrays() {
    return loaded().parameters().values().iterator().next().getManager().getManagedArrays().size();
  }

  /**
   * Releases the engine's arrays; the network stays usable (they are built again on the next
   * prediction). Only when no other thread is predicting with this instance.
   */
  @Override
  public synchronized void close() {
    Loaded l = loaded;
    if (l != null) {
      loaded = null;
      l.release().clean();
    }
  }

  /** The network a training ended with. */
  public static ForecastNetwork of(NetworkTraining.Result result, NetworkShape shape) {
    return new ForecastNetwork(shape, result.weights());
  }
}
