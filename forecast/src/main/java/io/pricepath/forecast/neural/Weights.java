package io.pricepath.forecast.neural;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.Random;

/**
 * The network's parameters as plain arrays, in {@link NetworkShape#parameters()} order: what is
 * saved, broadcast, checkpointed and updated (the engine only computes with copies of them).
 */
final class Weights implements Serializable {
  private static final long serialVersionUID = 1L;

  final String[] names;
  final int[][] shapes;
  final float[][] values;

  private Weights(String[] names, int[][] shapes, float[][] values) {
    this.names = names;
    this.shapes = shapes;
    this.values = values;
  }

  /** All zeros, shaped for {@code shape}. */
  static Weights zeros(NetworkShape shape) {
    Map<String, int[]> p = shape.parameters();
    String[] names = p.keySet().toArray(new String[0]);
    int[][] shapes = p.values().toArray(new int[0][]);
    float[][] values = new float[names.length][];
    for (int i = 0; i < names.length; i++) {
      values[i] = new float[size(shapes[i])];
    }
    return new Weights(names, shapes, values);
  }

  /**
   * The starting point of a training, drawn from {@code seed} (Java's generator, so the same on
   * every engine and machine): Xavier-uniform matrices, small embeddings and positions, zero
   * biases, unit norms, a discount response whose slope is the shape's elasticity (2 where it
   * is 0: plain levels), a return-rate output that starts at each article's prior (zero weights).
   */
  static Weights initial(NetworkShape shape, long seed) {
    Weights w = zeros(shape);
    Random random = new Random(seed);
    for (int i = 0; i < w.names.length; i++) {
      String n = w.names[i];
      float[] v = w.values[i];
      int[] s = w.shapes[i];
      if (n.endsWith(".g")) {
        java.util.Arrays.fill(v, 1f);
      } else if (n.equals("slopes")) {
        double slope = shape.elasticity() > NetworkShape.MIN_REFERENCE ? shape.elasticity() : 2.0;
        java.util.Arrays.fill(v, (float) StrictMath.log(StrictMath.expm1(slope)));
      } else if (n.equals("scale.b")) {
        v[0] = (float) StrictMath.log(StrictMath.expm1(1.0));
      } else if (n.startsWith("embed") || n.equals("position")) {
        uniform(random, v, 0.05);
      } else if (n.endsWith(".w") && !n.equals("base.w") && !n.equals("scale.w")
          && !n.equals("return.w")) {
        uniform(random, v, Math.sqrt(6.0 / (s[0] + s[1])));
      }
    }
    return w;
  }

  /** A deep copy. */
  Weights copy() {
    float[][] v = new float[values.length][];
    for (int i = 0; i < v.length; i++) {
      v[i] = values[i].clone();
    }
    return new Weights(names, shapes, v);
  }

  int count() {
    int n = 0;
    for (float[] v : values) {
      n += v.length;
    }
    return n;
  }

  void write(DataOutputStream out) throws IOException {
    out.writeInt(names.length);
    for (int i = 0; i < names.length; i++) {
      out.writeUTF(names[i]);
      out.writeInt(shapes[i].length);
      for (int d : shapes[i]) {
        out.writeInt(d);
      }
      out.writeInt(values[i].length);
      for (float f : values[i]) {
        out.writeFloat(f);
      }
    }
  }

  /**
   * Reads weights {@link #write} wrote, checked against {@code shape}.
   *
   * @throws IOException when they do not fit the shape
   */
  static Weights read(DataInputStream in, NetworkShape shape) throws IOException {
    Weights w = zeros(shape);
    int n = in.readInt();
    if (n != w.names.length) {
      throw new IOException(
          "the saved network has %d parameters, its shape %d".formatted(n, w.names.length));
    }
    for (int i = 0; i < n; i++) {
      String name = in.readUTF();
      int[] dims = new int[in.readInt()];
      for (int d = 0; d < dims.length; d++) {
        dims[d] = in.readInt();
      }
      if (!name.equals(w.names[i]) || !java.util.Arrays.equals(dims, w.shapes[i])) {
        throw new IOException(
            "the saved parameter %s %s is not the shape's %s %s"
                .formatted(name, java.util.Arrays.toString(dims), w.names[i],
                    java.util.Arrays.toString(w.shapes[i])));
      }
      int len = in.readInt();
      for (int k = 0; k < len; k++) {
        w.values[i][k] = in.readFloat();
      }
    }
    return w;
  }

  byte[] toBytes() {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (DataOutputStream out = new DataOutputStream(bytes)) {
      write(out);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return bytes.toByteArray();
  }

  static Weights fromBytes(byte[] bytes, NetworkShape shape) throws IOException {
    try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes))) {
      return read(in, shape);
    }
  }

  private static int size(int[] shape) {
    int n = 1;
    for (int d : shape) {
      n *= d;
    }
    return n;
  }

  private static void uniform(Random random, float[] v, double limit) {
    for (int i = 0; i < v.length; i++) {
      v[i] = (float) ((random.nextDouble() * 2 - 1) * limit);
    }
  }
}
