package io.pricepath.forecast.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The one reader and writer of every kind of margin term. */
class MarginTermsTest {
  private static final MarginTerms TERMS =
      MarginTerms.of(
          List.of(
              new BaseLevel(0),
              new DiscountResponse(1, 2, 1.0, 3, new double[] {2}, 2),
              new SeasonTerm(4, 0.5),
              PowerTerm.level(5, 3, new double[] {0.5}, 0.5)));

  @Test
  void theMarginIsTheSumOfTheTerms() {
    float[] row = {3, 0.2f, 0.1f, 0, 2f, 0.5f};
    double expected =
        Math.log(4) + (1.0 * 0.1 + 2 * 0.1) + 0.5 * Math.log(2) + 0.5 * Math.log(0.5);
    assertThat(TERMS.margin(row, 0)).isCloseTo(expected, within(1e-6));
  }

  @Test
  void theyRoundTripUnderTheirNamesAndListThemselves() {
    Map<String, String> hyper = TERMS.hyperparameters();
    assertThat(hyper).containsEntry("margin_terms", "base_margin,response,season,level")
        .containsEntry("base_margin_feature", "0")
        .containsEntry("season_exponent", "0.5");
    assertThat(MarginTerms.read(hyper, 6)).isEqualTo(TERMS);
  }

  @Test
  void modelsSavedBeforeTheListAreReadByTheirMarkers() {
    Map<String, String> hyper = new HashMap<>(TERMS.hyperparameters());
    hyper.remove("margin_terms");
    assertThat(MarginTerms.read(hyper, 6).terms()).hasSize(4);
    assertThat(MarginTerms.read(Map.of("max_depth", "6"), 6).isEmpty()).isTrue();
  }

  @Test
  void anUnknownTermOrAMissingParameterIsNamed() {
    Map<String, String> hyper = new HashMap<>(TERMS.hyperparameters());
    hyper.put("margin_terms", "base_margin,holiday");
    assertThatThrownBy(() -> MarginTerms.read(hyper, 6))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("unknown term 'holiday'");
    hyper.put("margin_terms", "response");
    hyper.remove("response_pooled_slope");
    assertThatThrownBy(() -> MarginTerms.read(hyper, 6))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("Cannot read the response term of the model: response_pooled_slope is missing");
  }

  @Test
  void aTermIsReplacedByName() {
    MarginTerms next = TERMS.with(new SeasonTerm(4, 0.9));
    assertThat(next.find(SeasonTerm.class)).contains(new SeasonTerm(4, 0.9));
    assertThat(next.terms()).hasSize(4);
    assertThatThrownBy(() -> MarginTerms.of(List.of(new SeasonTerm(1, 0), new SeasonTerm(2, 0))))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("each kind may appear once");
  }
}
