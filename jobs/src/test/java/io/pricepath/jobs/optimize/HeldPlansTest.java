package io.pricepath.jobs.optimize;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.pricepath.optimizer.lagrangian.CouplingRow;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class HeldPlansTest {
  static final ObjectMapper JSON = new ObjectMapper();

  static JsonNode optimizer(String rows) throws Exception {
    return JSON.readTree("{\"coupling_rows\": " + rows + "}");
  }

  @Test
  void everyRowCarriesWhatTheWeeksPlansPutIntoIt() throws Exception {
    HeldPlans held = HeldPlans.fromManifest("w1", optimizer("""
        [{"name": "DE: discount rate <= 15.0 %", "market": "DE", "kind": "DISCOUNT_RATE_MAX", "week": -1,
          "target": 0.15, "carried": -20.0, "activity": -300.0, "relative_budget": false},
         {"name": "FR/shoes week 2: sell-through >= 40.0 %", "market": "FR", "category": "shoes",
          "kind": "SELL_THROUGH_MIN", "week": 1, "target": 0.4, "penalty": 5.0, "carried": 0.0, "activity": -12.0}]
        """), "runs/w1");
    List<CouplingRow> rows = held.remaining(Map.of(), 0.75);
    CouplingRow rate = rows.get(0);
    assertThat(rate.kind()).isEqualTo(CouplingRow.Kind.DISCOUNT_RATE_MAX);
    assertThat(rate.target()).isEqualTo(0.15);
    // the new articles may add up to what the week's plans and the season left: 0 − (−20 − 300)
    assertThat(rate.rhs()).isCloseTo(320.0, within(1e-9));
    assertThat(rate.name()).contains("DE: discount rate <= 15.0 %").contains("run w1 held");
    CouplingRow sellThrough = rows.get(1);
    assertThat(sellThrough.category()).isEqualTo("shoes");
    assertThat(sellThrough.week()).isEqualTo(1);
    assertThat(sellThrough.isSoft()).isTrue();
    assertThat(sellThrough.penalty()).isEqualTo(5.0);
    assertThat(sellThrough.rhs()).isCloseTo(12.0, within(1e-9));
  }

  @Test
  void aRelativeBudgetGrowsByTheNewArticlesAllowanceAnAbsoluteOneDoesNot() throws Exception {
    HeldPlans held = HeldPlans.fromManifest("w1", optimizer("""
        [{"name": "DE: markdown spend <= 1,000", "market": "DE", "kind": "MARKDOWN_BUDGET", "week": -1,
          "target": 1000.0, "carried": 0.0, "activity": 900.0, "relative_budget": true},
         {"name": "FR: markdown spend <= 500", "market": "FR", "kind": "MARKDOWN_BUDGET", "week": -1,
          "target": 500.0, "carried": 0.0, "activity": 450.0, "relative_budget": false}]
        """), "runs/w1");
    // new articles in DE: keeping their live discounts spends 40, their plan without targets 120
    List<CouplingRow> rows = held.remaining(Map.of("DE", new double[] {40, 120}, "FR", new double[] {10, 30}), 0.75);
    assertThat(rows.get(0).target()).isCloseTo(1000 + 40 + 0.75 * 80, within(1e-9));
    assertThat(rows.get(0).rhs()).isCloseTo(1100 - 900, within(1e-9));
    assertThat(rows.get(0).name()).startsWith("DE: markdown spend <= 1,100");
    assertThat(rows.get(1).target()).isEqualTo(500.0);
    assertThat(rows.get(1).rhs()).isCloseTo(50.0, within(1e-9));
  }

  @Test
  void aManifestWithoutTheRowsWeeksSaysToRunTheWeekAgain() throws Exception {
    assertThatThrownBy(() -> HeldPlans.fromManifest("w1", optimizer("""
        [{"name": "DE: discount rate <= 15.0 %", "market": "DE", "kind": "DISCOUNT_RATE_MAX", "target": 0.15,
          "activity": -3.0}]"""), "runs/w1"))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageStartingWith("Cannot hold the week's plans of runs/w1")
        .hasMessageContaining("older pricepath");
  }
}
