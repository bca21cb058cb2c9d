package io.pricepath.jobs.optimize;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.pricepath.contract.Columns;
import io.pricepath.contract.ContractTables;
import io.pricepath.contract.SparkSessions;
import io.pricepath.jobs.config.ConfigException;
import io.pricepath.jobs.config.ConfigLoader;
import io.pricepath.jobs.config.RunConfig.CouplingConfig;
import io.pricepath.optimizer.lagrangian.CouplingRow;
import java.time.LocalDate;
import java.util.List;
import java.util.Optional;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Season-to-date accounting of the company-wide targets: what the season realised, carried by the rows. */
class SeasonToDateTest {
  static final LocalDate START = LocalDate.of(2025, 12, 29);
  static final LocalDate PLAN = START.plusWeeks(3);
  static SparkSession spark;
  static ContractTables tables;

  @BeforeAll
  static void tables() {
    spark = SparkSessions.local("season-to-date-test", 1, 2);
    StructType articles = new StructType()
        .add(Columns.ARTICLE_ID, DataTypes.StringType)
        .add(Columns.CATEGORY, DataTypes.StringType);
    StructType weekly = new StructType()
        .add(Columns.ARTICLE_ID, DataTypes.StringType)
        .add(Columns.MARKET, DataTypes.StringType)
        .add(Columns.WEEK, DataTypes.DateType)
        .add(Columns.BLACK_PRICE, DataTypes.DoubleType)
        .add(Columns.DISCOUNT, DataTypes.DoubleType)
        .add(Columns.UNITS_SOLD, DataTypes.LongType);
    Dataset<Row> a = spark.createDataFrame(List.of(
        RowFactory.create("A", "shoes"), RowFactory.create("B", "bags")), articles);
    Dataset<Row> w = spark.createDataFrame(List.of(
        // before the season: not counted
        RowFactory.create("A", "DE", START.minusWeeks(1), 100.0, 0.5, 1000L),
        // the season to date
        RowFactory.create("A", "DE", START, 100.0, 0.0, 10L),
        RowFactory.create("A", "DE", START.plusWeeks(1), 100.0, 0.2, 20L),
        RowFactory.create("B", "DE", START.plusWeeks(2), 50.0, 0.4, 4L),
        RowFactory.create("A", "FR", START.plusWeeks(2), 80.0, 0.1, 5L),
        // the plan week and after: not counted
        RowFactory.create("A", "DE", PLAN, 100.0, 0.7, 1000L),
        RowFactory.create("B", "DE", PLAN.plusWeeks(1), 50.0, 0.7, 1000L)), weekly);
    tables = new ContractTables("memory", a, w, Optional.empty(), Optional.empty());
  }

  @AfterAll
  static void stop() {
    spark.stop();
  }

  @Test
  void sumsGrossAndMarkdownValueOfTheSeasonBeforeThePlanWeek() {
    SeasonToDate season = SeasonToDate.of(tables, START, PLAN);
    assertThat(season.active()).isTrue();
    // DE shoes: 100·10 + 100·20 gross, 100·20·0.2 markdown; DE bags: 50·4, 50·4·0.4
    assertThat(season.realised("DE", "shoes")).containsExactly(new double[] {3000, 400}, within(1e-9));
    assertThat(season.realised("DE", "bags")).containsExactly(new double[] {200, 80}, within(1e-9));
    assertThat(season.realised("DE", null)).containsExactly(new double[] {3200, 480}, within(1e-9));
    assertThat(season.realised("FR", null)).containsExactly(new double[] {400, 40}, within(1e-9));
    assertThat(season.realised("NL", null)).containsExactly(0, 0);
    assertThat(SeasonToDate.of(tables, PLAN, PLAN).realised("DE", null)).containsExactly(0, 0);
    assertThat(SeasonToDate.of(tables, null, PLAN).active()).isFalse();
    assertThatThrownBy(() -> SeasonToDate.of(tables, PLAN.plusWeeks(1), PLAN))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("coupling-season-start")
        .hasMessageContaining("must be on or before the plan week (" + PLAN + ")");
  }

  @Test
  void theSeasonStartIsAMondayInTheConfig() {
    assertThat(ConfigLoader.toRunConfig(ConfigLoader.merged(null, List.of())).couplingSeasonStart()).isNull();
    assertThat(ConfigLoader.toRunConfig(ConfigLoader.merged(null, List.of("coupling-season-start=2025-12-29")))
        .couplingSeasonStart()).isEqualTo(START);
    assertThatThrownBy(() -> ConfigLoader.toRunConfig(
        ConfigLoader.merged(null, List.of("coupling-season-start=2025-12-30"))))
        .isInstanceOf(ConfigException.class)
        .hasMessage("Cannot use coupling-season-start: weeks are named by their Monday, 2025-12-30 is a TUESDAY "
            + "(use 2025-12-29)");
  }

  @Test
  void rowsCarryTheSeasonSoThatTheyHoldOverTheSeasonAndTheHorizon() {
    SeasonToDate season = SeasonToDate.of(tables, START, PLAN);
    List<CouplingRow> rows = CouplingRows.seasonToDate(CouplingRows.expand(List.of(
        new CouplingConfig("discount-rate-max", 0.1, null, null, -1),
        new CouplingConfig("discount-rate-min", 0.05, "DE", "bags", -1),
        new CouplingConfig("markdown-budget", 1000, "DE", null, -1),
        new CouplingConfig("revenue-min", 5000, "FR", null, -1),
        new CouplingConfig("sell-through-min", 0.5, "DE", null, -1),
        new CouplingConfig("discount-rate-max", 0.1, "DE", null, 0)), List.of("DE", "FR")), season);
    // DE rate cap: the season's Σ (d − 0.1)·p0·s = 480 − 0.1·3200 = 160 already spent beyond the cap
    assertThat(rows.get(0).name()).isEqualTo("DE: discount rate <= 10.0 % (season from " + START + ")");
    assertThat(rows.get(0).rhs()).isCloseTo(-160, within(1e-9));
    // FR: 40 − 0.1·400 = 0
    assertThat(rows.get(1).rhs()).isCloseTo(0, within(1e-9));
    // DE bags floor: 0.05·200 − 80 = −70 of slack the horizon may use
    assertThat(rows.get(2).rhs()).isCloseTo(70, within(1e-9));
    // budget: 1000 − 480 spent; revenue: −5000 + (400 − 40) earned
    assertThat(rows.get(3).rhs()).isCloseTo(520, within(1e-9));
    assertThat(rows.get(4).rhs()).isCloseTo(-5000 + 360, within(1e-9));
    // sell-through and single-week rows stay over the horizon
    assertThat(rows.get(5).rhs()).isZero();
    assertThat(rows.get(5).name()).doesNotContain("season");
    assertThat(rows.get(6).rhs()).isZero();

    // A horizon at exactly the cap (Σ d·p0·s = 0.1·Σ p0·s) meets the row alone but not over the
    // season, whose past ran at 15 %: the horizon must make up for it.
    CouplingRow cap = rows.get(0);
    double gross = 10_000;
    assertThat(activity(cap, gross, 0.1 * gross)).isGreaterThan(cap.rhs());
    double seasonRate = 0.1;
    double markdownAtCap = seasonRate * (3200 + gross) - 480;
    assertThat(activity(cap, gross, markdownAtCap)).isCloseTo(cap.rhs(), within(1e-9));
    assertThat(activity(cap, gross, markdownAtCap - 1)).isLessThan(cap.rhs());

    assertThat(CouplingRows.seasonToDate(rows, SeasonToDate.none())).isSameAs(rows);
  }

  /** The row's activity Σ g of a horizon with {@code gross} = Σ p0·s and {@code markdown} = Σ d·p0·s. */
  private static double activity(CouplingRow row, double gross, double markdown) {
    return switch (row.kind()) {
      case DISCOUNT_RATE_MAX -> markdown - row.target() * gross;
      default -> throw new IllegalArgumentException(row.kind().toString());
    };
  }
}
