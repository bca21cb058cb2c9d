package io.pricepath.forecast.neural;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;

/**
 * Engine arrays made from Java data, with the memory they live in held here. DJL's PyTorch engine
 * wraps a direct buffer's memory in a tensor without copying it and without keeping the buffer:
 * once the buffer is collected its memory is freed under the tensor (measured: with a small heap,
 * trainings ended in NaN or different weights from run to run). Keep a {@code Pinned} reachable as
 * long as the arrays it made are used — until their manager is closed.
 */
final class Pinned {
  private final List<ByteBuffer> buffers = new ArrayList<>();

  NDArray floats(NDManager m, float[] values, Shape shape) {
    ByteBuffer b = ByteBuffer.allocateDirect(values.length * Float.BYTES).order(ByteOrder.nativeOrder());
    b.asFloatBuffer().put(values);
    buffers.add(b);
    return m.create(b, shape, DataType.FLOAT32);
  }

  NDArray floats(NDManager m, float[] values) {
    return floats(m, values, new Shape(values.length));
  }

  /** A scalar, for arithmetic with a constant (DJL's {@code add(Number)} and the like would not pin it). */
  NDArray scalar(NDManager m, double value) {
    return floats(m, new float[] {(float) value}, new Shape());
  }

  NDArray longs(NDManager m, long[] values) {
    ByteBuffer b = ByteBuffer.allocateDirect(values.length * Long.BYTES).order(ByteOrder.nativeOrder());
    b.asLongBuffer().put(values);
    buffers.add(b);
    return m.create(b, new Shape(values.length), DataType.INT64);
  }
}
