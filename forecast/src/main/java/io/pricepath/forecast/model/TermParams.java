package io.pricepath.forecast.model;

import java.util.Arrays;
import java.util.Map;

/**
 * The hyperparameters of one {@link MarginTerm} of a saved model, read under {@code
 * <name>_<parameter>}, with one message style for what is missing or malformed.
 */
final class TermParams {
  private final String name;
  private final Map<String, String> hyperparameters;
  private final int featureCount;

  TermParams(String name, Map<String, String> hyperparameters, int featureCount) {
    this.name = name;
    this.hyperparameters = hyperparameters;
    this.featureCount = featureCount;
  }

  /** The key of {@code parameter}. */
  static String key(String name, String parameter) {
    return name + "_" + parameter;
  }

  boolean has(String parameter) {
    return hyperparameters.containsKey(key(name, parameter));
  }

  /** A feature index in [0, feature count). */
  int feature(String parameter) {
    int index = (int) parse(parameter, text -> (double) Integer.parseInt(text));
    if (index < 0 || index >= featureCount) {
      throw fail("feature %d (%s) is outside the model's %d features"
          .formatted(index, key(name, parameter), featureCount));
    }
    return index;
  }

  /** A feature index when the parameter is there, else -1. */
  int optionalFeature(String parameter) {
    return has(parameter) ? feature(parameter) : -1;
  }

  double number(String parameter) {
    return parse(parameter, Double::parseDouble);
  }

  double number(String parameter, double otherwise) {
    return has(parameter) ? number(parameter) : otherwise;
  }

  /** A comma-separated list of numbers (empty text: none). */
  double[] numbers(String parameter) {
    String text = text(parameter);
    if (text.isEmpty()) {
      return new double[0];
    }
    try {
      return Arrays.stream(text.split(",")).mapToDouble(s -> Double.parseDouble(s.trim())).toArray();
    } catch (NumberFormatException e) {
      throw fail("%s is not a list of numbers (%s)".formatted(key(name, parameter), text));
    }
  }

  /** {@code values} as the text {@link #numbers} reads. */
  static String list(double[] values) {
    StringBuilder s = new StringBuilder();
    for (int i = 0; i < values.length; i++) {
      s.append(i == 0 ? "" : ",").append(values[i]);
    }
    return s.toString();
  }

  private String text(String parameter) {
    String value = hyperparameters.get(key(name, parameter));
    if (value == null) {
      throw fail("%s is missing".formatted(key(name, parameter)));
    }
    return value.trim();
  }

  private double parse(String parameter, java.util.function.ToDoubleFunction<String> parser) {
    String text = text(parameter);
    try {
      return parser.applyAsDouble(text);
    } catch (NumberFormatException e) {
      throw fail("%s is not a number (%s)".formatted(key(name, parameter), text));
    }
  }

  /** An error about this term's hyperparameters, for a rebuilt term's own checks too. */
  IllegalArgumentException fail(String reason) {
    return new IllegalArgumentException(
        "Cannot read the %s term of the model: %s (retrain the model or restore its provenance.json)"
            .formatted(name, reason));
  }
}
