package io.pricepath.validate;

import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import org.apache.spark.sql.Encoder;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.expressions.Aggregator;

/**
 * Keeps the {@value #LIMIT} smallest distinct non-null keys of a group, so that examples cost
 * bounded memory however many rows break a rule, and come out the same on every run. The buffer
 * is a string: each key preceded by a NUL character.
 */
final class SmallestKeys extends Aggregator<String, String, String> {
  private static final long serialVersionUID = 1L;
  static final int LIMIT = 5;
  private static final char SEPARATOR = '\u0000';

  @Override
  public String zero() {
    return "";
  }

  @Override
  public String reduce(String buffer, String key) {
    if (key == null) {
      return buffer;
    }
    return combine(decode(buffer), List.of(key));
  }

  @Override
  public String merge(String left, String right) {
    return combine(decode(left), decode(right));
  }

  @Override
  public String finish(String buffer) {
    return buffer;
  }

  @Override
  public Encoder<String> bufferEncoder() {
    return Encoders.STRING();
  }

  @Override
  public Encoder<String> outputEncoder() {
    return Encoders.STRING();
  }

  private static String combine(List<String> left, List<String> right) {
    TreeSet<String> keys = new TreeSet<>(left);
    keys.addAll(right);
    StringBuilder out = new StringBuilder();
    int kept = 0;
    for (String key : keys) {
      if (kept++ == LIMIT) {
        break;
      }
      out.append(SEPARATOR).append(key);
    }
    return out.toString();
  }

  /** The keys a buffer or result holds, smallest first. */
  static List<String> decode(String buffer) {
    List<String> keys = new ArrayList<>();
    if (buffer == null || buffer.isEmpty()) {
      return keys;
    }
    int start = 1;
    for (int i = 1; i <= buffer.length(); i++) {
      if (i == buffer.length() || buffer.charAt(i) == SEPARATOR) {
        keys.add(buffer.substring(start, i));
        start = i + 1;
      }
    }
    return keys;
  }
}
