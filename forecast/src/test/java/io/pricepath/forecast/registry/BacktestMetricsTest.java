package io.pricepath.forecast.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Flattening a backtest's metrics.json into the keys the gate reads. */
class BacktestMetricsTest {
  static final String METRICS =
      """
      {"wape": 0.41, "bias": -0.02, "n": 5000,
       "note": "sold-out weeks are excluded from demand metrics",
       "by_horizon": [{"h": 1, "wape": 0.38, "bias": -0.01, "n": 1300},
                      {"h": 2, "wape": 0.43, "bias": NaN, "n": 1250}],
       "by_target": {"return_rate": {"mae": 0.03}},
       "models": {"pricepath": {"wape": 0.41, "bias": -0.02},
                  "recent_mean": {"wape": 0.52, "bias": 0.04},
                  "loglog_elasticity": {"wape": 0.47, "bias": "NaN"}}}
      """;

  @Test
  void flattensTopLevelModelsAndHorizons() {
    assertThat(BacktestMetrics.parse(METRICS))
        .containsExactly(
            java.util.Map.entry("bias", -0.02),
            java.util.Map.entry("bias_h1", -0.01),
            java.util.Map.entry("bias_h2", Double.NaN),
            java.util.Map.entry("bias_loglog_elasticity", Double.NaN),
            java.util.Map.entry("bias_pricepath", -0.02),
            java.util.Map.entry("bias_recent_mean", 0.04),
            java.util.Map.entry("n", 5000.0),
            java.util.Map.entry("n_h1", 1300.0),
            java.util.Map.entry("n_h2", 1250.0),
            java.util.Map.entry("wape", 0.41),
            java.util.Map.entry("wape_h1", 0.38),
            java.util.Map.entry("wape_h2", 0.43),
            java.util.Map.entry("wape_loglog_elasticity", 0.47),
            java.util.Map.entry("wape_pricepath", 0.41),
            java.util.Map.entry("wape_recent_mean", 0.52));
  }

  @Test
  void readsAFileAndSaysWhatIsWrong(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("metrics.json");
    Files.writeString(file, METRICS);
    assertThat(BacktestMetrics.read(file.toString(), new Configuration()))
        .containsEntry("wape_recent_mean", 0.52)
        .hasSize(15);
    String missing = dir.resolve("nothing.json").toString();
    assertThatThrownBy(() -> BacktestMetrics.read(missing, new Configuration()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "Cannot read backtest metrics: no such file (%s); run pricepath backtest first",
            missing);
    assertThatThrownBy(() -> BacktestMetrics.parse("[1, 2]"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("Cannot read backtest metrics: expected a JSON object (ARRAY)");
    assertThatThrownBy(() -> BacktestMetrics.parse("{\"wape\": "))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("Cannot read backtest metrics: not valid JSON (");
  }
}
