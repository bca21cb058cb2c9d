package io.pricepath.forecast.backtest;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The text of {@code metrics.json}. */
final class MetricsFile {
  private MetricsFile() {}

  static final String EXCLUDED =
      "sold-out weeks (units_sold >= stock_on_hand) are excluded from demand metrics: observed sales understate demand there";

  private static final ObjectMapper JSON =
      new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  /**
   * {@code {"wape", "bias", "n", "by_horizon": [{"h", "wape", "bias", "n"}, …], "by_target":
   * {name: {"wape", "bias", "n", "meaning"}}, "models": {name: {"wape", "bias"}}, "excluded"}}:
   * the primary model's demand figures at the top and per horizon week; a figure without actuals
   * is null.
   *
   * @param targets what each entry of {@code result.byTarget()} means, and for targets that could
   *     not be evaluated, why (they appear with {@code n = 0})
   */
  static String json(BacktestResult result, Map<String, String> targets) {
    Map<String, Object> root = new LinkedHashMap<>();
    Accuracy primary = result.primary();
    root.put("wape", number(primary.wape()));
    root.put("bias", number(primary.bias()));
    root.put("n", primary.n());
    List<Object> horizons = new ArrayList<>();
    for (BacktestResult.Horizon h : result.byHorizon()) {
      Accuracy a = h.models().get(BacktestResult.PRICEPATH);
      Map<String, Object> entry = new LinkedHashMap<>();
      entry.put("h", h.h());
      entry.put("wape", number(a.wape()));
      entry.put("bias", number(a.bias()));
      entry.put("n", a.n());
      horizons.add(entry);
    }
    root.put("by_horizon", horizons);
    Map<String, Object> byTarget = new LinkedHashMap<>();
    for (Map.Entry<String, String> t : targets.entrySet()) {
      Accuracy a = result.byTarget().getOrDefault(t.getKey(), Accuracy.EMPTY);
      Map<String, Object> entry = new LinkedHashMap<>();
      entry.put("wape", number(a.wape()));
      entry.put("bias", number(a.bias()));
      entry.put("n", a.n());
      entry.put("meaning", t.getValue());
      byTarget.put(t.getKey(), entry);
    }
    root.put("by_target", byTarget);
    Map<String, Object> models = new LinkedHashMap<>();
    for (Map.Entry<String, Accuracy> m : result.models().entrySet()) {
      Map<String, Object> entry = new LinkedHashMap<>();
      entry.put("wape", number(m.getValue().wape()));
      entry.put("bias", number(m.getValue().bias()));
      models.put(m.getKey(), entry);
    }
    root.put("models", models);
    root.put("excluded", EXCLUDED);
    try {
      return JSON.writeValueAsString(root) + "\n";
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("Cannot write metrics.json: " + e.getMessage(), e);
    }
  }

  private static Double number(double v) {
    return Double.isNaN(v) || Double.isInfinite(v) ? null : v;
  }
}
