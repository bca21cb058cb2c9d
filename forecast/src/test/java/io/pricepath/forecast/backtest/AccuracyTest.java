package io.pricepath.forecast.backtest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.pricepath.forecast.ForecastSettings;
import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** WAPE and bias arithmetic, metrics.json and the console summary on a hand-checkable case. */
class AccuracyTest {

  /** actual 10, 0, 5 against forecasts 8, 1, 5: |errors| 2 + 1 + 0 = 3, signed −2 + 1 + 0 = −1. */
  static Accuracy tiny() {
    return Accuracy.of(10, 8).plus(Accuracy.of(0, 1)).plus(Accuracy.of(5, 5));
  }

  @Test
  void wapeAndBiasOfATinyCase() {
    Accuracy a = tiny();
    assertThat(a.n()).isEqualTo(3);
    assertThat(a.wape()).isCloseTo(3.0 / 15, within(1e-12));
    assertThat(a.bias()).isCloseTo(-1.0 / 15, within(1e-12));
    assertThat(Accuracy.EMPTY.wape()).isNaN();
    assertThat(Accuracy.of(0, 2).bias()).isNaN();
    assertThatThrownBy(() -> new Accuracy(-1, 0, 0, 1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("absolute error (-1.0) must be >= 0");
  }

  static BacktestResult result() {
    Map<String, Accuracy> h1 = new LinkedHashMap<>();
    h1.put(BacktestResult.PRICEPATH, tiny());
    h1.put(BacktestResult.RECENT_MEAN, Accuracy.of(10, 5));
    h1.put(BacktestResult.LOG_LOG, Accuracy.of(10, 12));
    Map<String, Accuracy> h2 = new LinkedHashMap<>();
    h2.put(BacktestResult.PRICEPATH, Accuracy.of(20, 25));
    h2.put(BacktestResult.RECENT_MEAN, Accuracy.of(20, 10));
    h2.put(BacktestResult.LOG_LOG, Accuracy.EMPTY);
    List<BacktestResult.Horizon> byHorizon =
        List.of(new BacktestResult.Horizon(1, h1), new BacktestResult.Horizon(2, h2));
    return new BacktestResult(
        List.of(LocalDate.of(2024, 6, 3)),
        2,
        1,
        0,
        Map.of(LocalDate.of(2024, 6, 3), "abc"),
        7,
        Evaluation.total(byHorizon),
        byHorizon,
        Map.of("fulfillment_cost_per_unit", Accuracy.of(4, 3)),
        "/tmp/out");
  }

  @Test
  void metricsJsonHasTheAgreedShapeAndFigures() throws Exception {
    Map<String, String> targets = new LinkedHashMap<>();
    targets.put("return_rate", "not evaluated: no returns");
    targets.put("fulfillment_cost_per_unit", "cost given units");
    JsonNode json = new ObjectMapper().readTree(MetricsFile.json(result(), targets));
    assertThat(json.fieldNames())
        .toIterable()
        .containsExactly("wape", "bias", "n", "by_horizon", "by_target", "models", "excluded");
    // pricepath over both weeks: |err| 3 + 5 = 8, signed −1 + 5 = 4, actual 15 + 20 = 35
    assertThat(json.get("wape").asDouble()).isCloseTo(8.0 / 35, within(1e-12));
    assertThat(json.get("bias").asDouble()).isCloseTo(4.0 / 35, within(1e-12));
    assertThat(json.get("n").asLong()).isEqualTo(4);
    assertThat(json.get("by_horizon")).hasSize(2);
    assertThat(json.get("by_horizon").get(0).fieldNames())
        .toIterable()
        .containsExactly("h", "wape", "bias", "n");
    assertThat(json.get("by_horizon").get(0).get("wape").asDouble()).isCloseTo(0.2, within(1e-12));
    assertThat(json.get("by_horizon").get(1).get("bias").asDouble()).isCloseTo(0.25, within(1e-12));
    assertThat(json.get("models").fieldNames())
        .toIterable()
        .containsExactly("pricepath", "recent_mean", "loglog_elasticity");
    assertThat(json.get("models").get("recent_mean").fieldNames())
        .toIterable()
        .containsExactly("wape", "bias");
    assertThat(json.get("models").get("recent_mean").get("wape").asDouble())
        .isCloseTo(15.0 / 30, within(1e-12));
    assertThat(json.get("models").get("loglog_elasticity").get("bias").asDouble())
        .isCloseTo(0.2, within(1e-12));
    assertThat(json.get("by_target").get("return_rate").get("wape").isNull()).isTrue();
    assertThat(json.get("by_target").get("return_rate").get("n").asLong()).isZero();
    assertThat(json.get("by_target").get("fulfillment_cost_per_unit").get("wape").asDouble())
        .isCloseTo(0.25, within(1e-12));
    assertThat(json.get("by_target").get("fulfillment_cost_per_unit").get("meaning").asText())
        .isEqualTo("cost given units");
    assertThat(json.get("excluded").asText())
        .isEqualTo(
            "sold-out weeks (units_sold >= stock_on_hand) are excluded from demand metrics: observed sales understate demand there");
  }

  @Test
  void rendersASmallConsoleTable() {
    String text = result().render();
    assertThat(text)
        .contains("Backtest: 1 origin 2024-06-03 .. 2024-06-03, horizon 2 weeks (1 trained, 0 from the cache)")
        .contains("Demand over 4 (article, market, week) rows; 7 sold-out weeks excluded")
        .contains(String.format("%-19s %8s %8s", "pricepath", "0.229", "+0.114"))
        .contains(String.format("%3d %8d %18s %18s %18s", 2, 1, "0.250", "0.500", "-"))
        .contains("fulfillment_cost_per_unit");
  }

  @Test
  void refusesAResultWithoutEveryModel() {
    assertThatThrownBy(
            () ->
                new BacktestResult(
                    List.of(), 1, 0, 0, Map.of(), 0,
                    Map.of(BacktestResult.PRICEPATH, Accuracy.EMPTY), List.of(), Map.of(), "x"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("Cannot report the backtest: no figures for model recent_mean");
  }

  @Test
  void settingsAreValidatedAndListTheOrigins() {
    ForecastSettings f = ForecastSettings.defaults();
    BacktestSettings s =
        new BacktestSettings(LocalDate.of(2024, 6, 3), LocalDate.of(2024, 7, 1), 2, 4, f);
    assertThat(s.origins())
        .containsExactly(
            LocalDate.of(2024, 6, 3), LocalDate.of(2024, 6, 17), LocalDate.of(2024, 7, 1));
    assertThat(s.training().horizon()).isEqualTo(4);
    assertThat(s.training().validationWeeks()).isEqualTo(4);
    assertThatThrownBy(
            () -> new BacktestSettings(LocalDate.of(2024, 6, 4), LocalDate.of(2024, 7, 1), 2, 4, f))
        .hasMessage("Cannot configure the backtest: the first origin must be a Monday (2024-06-04)");
    assertThatThrownBy(
            () -> new BacktestSettings(LocalDate.of(2024, 6, 3), LocalDate.of(2024, 5, 27), 2, 4, f))
        .hasMessage(
            "Cannot configure the backtest: the last origin 2024-05-27 is before the first (2024-06-03)");
    assertThatThrownBy(
            () -> new BacktestSettings(LocalDate.of(2024, 6, 3), LocalDate.of(2024, 7, 1), 0, 4, f))
        .hasMessage("Cannot configure the backtest: weeks between origins must be >= 1 (0)");
    assertThatThrownBy(
            () -> new BacktestSettings(LocalDate.of(2024, 6, 3), LocalDate.of(2024, 7, 1), 1, 0, f))
        .hasMessage("Cannot configure the backtest: the horizon must be >= 1 week (0)");
  }
}
