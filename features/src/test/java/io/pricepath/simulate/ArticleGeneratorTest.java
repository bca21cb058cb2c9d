package io.pricepath.simulate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.pricepath.simulate.ArticleHistory.MarketHistory;
import java.time.LocalDate;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** One article's draw and history, without Spark. */
class ArticleGeneratorTest {
  private static final SimulatorConfig CONFIG = SimulatorConfig.of(300, 3, 52, 21);

  @Test
  void anArticleDependsOnlyOnTheSeedAndItsIndex() {
    ArticleHistory a = new ArticleGenerator(CONFIG).generate(17);
    ArticleHistory b = new ArticleGenerator(CONFIG.withPartitions(9)).generate(17);
    ArticleHistory other = new ArticleGenerator(SimulatorConfig.of(300, 3, 52, 22)).generate(17);

    assertThat(b.articleId()).isEqualTo("A000018");
    assertThat(b.firstWeek()).isEqualTo(a.firstWeek());
    assertThat(b.markets()).hasSameSizeAs(a.markets());
    for (int m = 0; m < a.markets().size(); m++) {
      assertThat(b.markets().get(m).unitsSold()).containsExactly(a.markets().get(m).unitsSold());
      assertThat(b.markets().get(m).discount()).containsExactly(a.markets().get(m).discount());
      assertThat(b.markets().get(m).truth().startStock()).isEqualTo(a.markets().get(m).truth().startStock());
    }
    assertThat(other.markets().get(0).truth().baseDemand())
        .isNotEqualTo(a.markets().get(0).truth().baseDemand());
    ArticleHistory attributesOnly = new ArticleGenerator(CONFIG).generate(17, false);
    assertThat(attributesOnly.markets()).isEmpty();
    assertThat(attributesOnly.withMarkets(a.markets())).isEqualTo(a);
  }

  @Test
  void historiesAreMarkdownOnlyAndCarryTheContractDefaultStock() {
    ArticleGenerator generator = new ArticleGenerator(CONFIG);
    int live = 0;
    int total = 0;
    for (int i = 0; i < CONFIG.articles(); i++) {
      for (MarketHistory m : generator.generate(i).markets()) {
        total++;
        TruthParams t = m.truth();
        int rows = m.weekIndex().length;
        for (int r = 1; r < rows; r++) {
          assertThat(m.discount()[r]).isGreaterThanOrEqualTo(m.discount()[r - 1]);
          assertThat(m.weekIndex()[r]).isGreaterThan(m.weekIndex()[r - 1]);
        }
        if (!t.exitWeek().isBefore(CONFIG.planWeek())) {
          long carried = rows == 0 ? 0 : m.stockOnHand()[rows - 1] - m.unitsSold()[rows - 1];
          assertThat(t.startStock()).isEqualTo(carried);
          assertThat(t.liveDiscount()).isEqualTo(rows == 0 ? 0 : m.discount()[rows - 1]);
          live += t.startStock() > 0 ? 1 : 0;
        }
      }
    }
    assertThat(live / (double) total).isGreaterThanOrEqualTo(0.4);
  }

  @Test
  void thePlannedUnitsAreTheInitialBuysOfEveryMarket() {
    ArticleGenerator generator = new ArticleGenerator(CONFIG);
    int checked = 0;
    for (int i = 0; i < CONFIG.articles(); i++) {
      ArticleHistory a = generator.generate(i);
      assertThat(generator.generate(i, false).plannedUnits()).isEqualTo(a.plannedUnits());
      if (!a.firstWeek().isBefore(CONFIG.week(CONFIG.weeks()))) {
        continue; // launched after the history: no first row to read the buy from
      }
      // The first week's stock is the initial buy: nothing was sold before it to come back, and a
      // replenishment comes 4 weeks after launch at the earliest.
      long firstStock = 0;
      for (MarketHistory m : a.markets()) {
        assertThat(CONFIG.week(m.weekIndex()[0])).isEqualTo(a.firstWeek());
        firstStock += m.stockOnHand()[0];
      }
      assertThat(a.plannedUnits()).isEqualTo(firstStock);
      checked++;
    }
    assertThat(checked).isGreaterThan(CONFIG.articles() / 2);
  }

  @Test
  void labelsSeasonsAndLagsAsDocumented() {
    assertThat(ArticleGenerator.season(LocalDate.of(2024, 1, 8))).isEqualTo("2023-AW");
    assertThat(ArticleGenerator.season(LocalDate.of(2024, 3, 4))).isEqualTo("2024-SS");
    assertThat(ArticleGenerator.season(LocalDate.of(2024, 9, 2))).isEqualTo("2024-AW");
    assertThat(Arrays.stream(ArticleGenerator.lagProbabilities(2.0)).sum()).isCloseTo(1.0, within(1e-12));
    assertThat(ArticleGenerator.onGrid(0.1 + 0.05 + 0.05)).isEqualTo(0.2);
  }
}
