package io.pricepath.forecast.model;

/** How a booster's output and its margin terms combine: the link of its objective. */
enum Link {
  /** Count objectives: {@code output · exp(margin)}. */
  LOG,
  /** Logistic objectives: {@code sigmoid(logit(output) + margin)}. */
  LOGIT,
  /** Other objectives: {@code output + margin}. */
  IDENTITY;

  /** The link of an XGBoost {@code objective}. */
  static Link of(String objective) {
    if (objective == null) {
      return IDENTITY;
    }
    if (objective.startsWith("count:") || objective.equals("reg:gamma")
        || objective.equals("reg:tweedie")) {
      return LOG;
    }
    if (objective.equals("reg:logistic") || objective.equals("binary:logistic")) {
      return LOGIT;
    }
    return IDENTITY;
  }

  /** The prediction of a booster {@code output} (on the prediction scale) with {@code margin}. */
  double apply(double output, double margin) {
    return switch (this) {
      case LOG -> output * Math.exp(margin);
      case LOGIT -> {
        double o = Math.max(1e-7, Math.min(1 - 1e-7, output));
        double z = Math.log(o / (1 - o)) + margin;
        yield 1 / (1 + Math.exp(-z));
      }
      case IDENTITY -> output + margin;
    };
  }
}
