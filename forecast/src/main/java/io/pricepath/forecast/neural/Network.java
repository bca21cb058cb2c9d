package io.pricepath.forecast.neural;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/**
 * The forward pass of the network on the engine:
 *
 * <pre>
 *   z      = sequence · W_in + b_in + position               (groups × weeks × width)
 *   z      = norm(z + attention(z)); z = norm(z + ff(z))      (per layer)
 *   series = mean over weeks of z                             (one per group)
 *   head   = relu(statics · W_s + b_s + Σ embeddings(codes))   (one per week of a series)
 *   joint  = relu([series of the head's group, head] · W_j + b_j)
 *   log μ  = log(1 + base level) + joint · w_base + b_base
 *            + softplus(joint · w_scale + b_scale) · ramp(discount) · softplus(slopes)
 *   logit r = logit(return ratio) + joint · w_return + b_return + ramp(discount) · slopes_return
 *             (with a return-rate output; its loss does not reach the joint layer or below)
 * </pre>
 *
 * The discount enters only through the last term: a non-negative scale times a piecewise-linear
 * function with non-negative slopes, so log μ is non-decreasing in the discount for every row
 * whatever the weights.
 *
 * <p>No arithmetic with a Java number here: DJL makes a tensor of the number over a buffer it
 * does not keep, and the graph keeps that tensor for the backward pass ({@link Pinned}). And
 * every array computed from a parameter alone is moved to the call's manager ({@link #local}):
 * DJL puts a result in its first operand's manager, and a served network's parameters live as
 * long as the network.
 */
final class Network {
  private Network() {}

  /**
   * The parameters of {@code weights} as arrays of {@code manager}, by name; {@code pinned} holds
   * their memory (keep it as long as the arrays).
   */
  static Map<String, NDArray> arrays(
      NDManager manager, Pinned pinned, Weights weights, boolean gradient) {
    Map<String, NDArray> p = new HashMap<>();
    for (int i = 0; i < weights.names.length; i++) {
      long[] dims = new long[weights.shapes[i].length];
      for (int d = 0; d < dims.length; d++) {
        dims[d] = weights.shapes[i][d];
      }
      NDArray a = pinned.floats(manager, weights.values[i], new Shape(dims));
      if (gradient) {
        a.setRequiresGradient(true);
      }
      p.put(weights.names[i], a);
    }
    return p;
  }

  /** Segments of the discount response that {@link Outputs#slope} averages: 0 to 30 % off. */
  static final String PRIOR_SEGMENTS = "0:3";

  /**
   * The outputs for the rows of an {@link Inputs}: log μ, the logit of the return rate where the
   * shape has that output (else null), and each row's discount response as one number — its mean
   * slope (σ · softplus) over the first three segments, 0 to 30 % off, where a training's prior
   * holds it.
   */
  record Outputs(NDArray logMean, NDArray returnLogit, NDArray slope) {}

  /** The outputs of every row of {@code in}; {@code pinned} holds the inputs' memory. */
  static Outputs forward(
      NDManager m, Pinned pinned, NetworkShape s, Map<String, NDArray> p, Inputs in) {
    int g = in.groups;
    int t = s.weeks();
    int d = s.model();
    NDArray z =
        pinned.floats(m, in.sequence, new Shape(g, t, s.channels()))
            .matMul(p.get("in.w"))
            .add(p.get("in.b"))
            .add(p.get("position"));
    for (int l = 0; l < s.layers(); l++) {
      String n = "layer" + l + ".";
      z = norm(m, pinned, z.add(attention(m, pinned, z, p, n, s.heads())), p.get(n + "norm1.g"),
          p.get(n + "norm1.b"));
      NDArray f =
          Activation.relu(z.matMul(p.get(n + "ff1.w")).add(p.get(n + "ff1.b")))
              .matMul(p.get(n + "ff2.w"))
              .add(p.get(n + "ff2.b"));
      z = norm(m, pinned, z.add(f), p.get(n + "norm2.g"), p.get(n + "norm2.b"));
    }
    NDArray series = z.mean(new int[] {1}).get(pinned.longs(m, in.headGroup));
    NDArray head =
        pinned.floats(m, in.statics, new Shape(in.heads, s.staticWidth()))
            .matMul(p.get("static.w"))
            .add(p.get("static.b"));
    for (int c = 0; c < in.codes.length; c++) {
      head = head.add(local(m, p.get("embed" + c).get(pinned.longs(m, in.codes[c]))));
    }
    head = Activation.relu(head);
    NDArray joint =
        Activation.relu(
            NDArrays.concat(new NDList(series, head), 1)
                .matMul(p.get("joint.w"))
                .add(p.get("joint.b")));
    NDArray rows = pinned.longs(m, in.head);
    NDArray base = joint.matMul(p.get("base.w")).add(p.get("base.b")).reshape(in.heads).get(rows);
    NDArray scale =
        Activation.softPlus(joint.matMul(p.get("scale.w")).add(p.get("scale.b")))
            .reshape(in.heads)
            .get(rows);
    NDArray ramp = pinned.floats(m, in.ramp, new Shape(in.rows, s.segments()));
    NDArray soft = local(m, Activation.softPlus(p.get("slopes")));
    NDArray response = ramp.matMul(soft.reshape(s.segments(), 1)).reshape(in.rows);
    NDArray slope = scale.mul(soft.get(PRIOR_SEGMENTS).mean());
    NDArray logMean = pinned.floats(m, in.offset).add(base).add(scale.mul(response));
    if (!s.returnHead()) {
      return new Outputs(logMean, null, slope);
    }
    // the return rate reads the joint layer without training it: its loss reaches only its own
    // weights, so demand is what it would be without this output
    NDArray returnLogit =
        pinned.floats(m, in.returnOffset)
            .add(joint.stopGradient().matMul(p.get("return.w")).add(p.get("return.b"))
                .reshape(in.heads).get(rows))
            .add(ramp.matMul(local(m, p.get("return.slopes").reshape(s.segments(), 1)))
                .reshape(in.rows));
    return new Outputs(logMean, returnLogit, slope);
  }

  /** {@code a}, now owned by {@code m} (closed with it, not with the parameters). */
  private static NDArray local(NDManager m, NDArray a) {
    a.attach(m);
    return a;
  }

  private static NDArray attention(
      NDManager m, Pinned pinned, NDArray z, Map<String, NDArray> p, String n, int heads) {
    Shape shape = z.getShape();
    long g = shape.get(0);
    long t = shape.get(1);
    long d = shape.get(2);
    long k = d / heads;
    NDArray q = split(z.matMul(p.get(n + "q.w")).add(p.get(n + "q.b")), g, t, heads, k);
    NDArray key = split(z.matMul(p.get(n + "k.w")).add(p.get(n + "k.b")), g, t, heads, k);
    NDArray v = split(z.matMul(p.get(n + "v.w")).add(p.get(n + "v.b")), g, t, heads, k);
    NDArray weights =
        q.matMul(key.transpose(0, 1, 3, 2)).mul(pinned.scalar(m, 1 / Math.sqrt(k))).softmax(-1);
    return weights
        .matMul(v)
        .transpose(0, 2, 1, 3)
        .reshape(g, t, d)
        .matMul(p.get(n + "o.w"))
        .add(p.get(n + "o.b"));
  }

  private static NDArray split(NDArray x, long g, long t, int heads, long k) {
    return x.reshape(g, t, heads, k).transpose(0, 2, 1, 3);
  }

  private static NDArray norm(
      NDManager m, Pinned pinned, NDArray x, NDArray gain, NDArray bias) {
    NDArray mean = x.mean(new int[] {-1}, true);
    NDArray centred = x.sub(mean);
    NDArray var = centred.square().mean(new int[] {-1}, true);
    return centred.div(var.add(pinned.scalar(m, 1e-5)).sqrt()).mul(gain).add(bias);
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
}
