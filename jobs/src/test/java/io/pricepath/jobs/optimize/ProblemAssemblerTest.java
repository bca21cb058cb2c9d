package io.pricepath.jobs.optimize;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.sum;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.pricepath.contract.Columns;
import io.pricepath.contract.ContractTables;
import io.pricepath.contract.DatasetReader;
import io.pricepath.contract.OutputLayouts;
import io.pricepath.contract.SparkSessions;
import io.pricepath.contract.TinyDataset;
import io.pricepath.features.PlanState;
import io.pricepath.jobs.config.ConfigException;
import io.pricepath.jobs.config.ConfigLoader;
import io.pricepath.jobs.config.RunConfig;
import io.pricepath.jobs.steps.Progress;
import io.pricepath.optimizer.article.ArticleProblem;
import io.pricepath.optimizer.article.Rules;
import io.pricepath.optimizer.pooled.PooledArticleProblem;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The assembler on a tiny contract dataset (TinyDataset's layout, three markets) with a synthetic
 * forecast grid: per-article rule columns over category and run rules, and shared stock.
 */
class ProblemAssemblerTest {
  private static final LocalDate W2 = TinyDataset.W2;
  private static final LocalDate PLAN = W2.plusWeeks(1);
  private static final int HORIZON = 4;
  private static final StructType ARTICLES = TinyDataset.ARTICLES
      .add(Columns.RULE_MIN_DISCOUNT, DataTypes.DoubleType)
      .add(Columns.RULE_MAX_DISCOUNT, DataTypes.DoubleType)
      .add(Columns.RULE_MAX_CHANGES, DataTypes.LongType)
      .add(Columns.RULE_MAX_STEPS_PER_WEEK, DataTypes.LongType)
      .add(Columns.RULE_MARKDOWN_ONLY, DataTypes.BooleanType)
      .add(Columns.RULE_NO_TOUCH_UNTIL, DataTypes.DateType)
      .add(Columns.RULE_LOCKED_DISCOUNT, DataTypes.DoubleType);
  /** Weekly demand at discount 0 and residual value per unit, per (article, market). */
  private static final Map<String, double[]> DEMAND = Map.of(
      "A1|DE", new double[] {30, 10}, "A1|AT", new double[] {5, 5}, "A1|FR", new double[] {10, 8},
      "A2|DE", new double[] {10, 6}, "A2|AT", new double[] {10, 6}, "A2|FR", new double[] {10, 6});

  private static SparkSession spark;
  @TempDir static Path dir;
  private static Dataset<Row> forecasts;

  @BeforeAll
  static void start() {
    spark = SparkSessions.local("ProblemAssemblerTest", 2, 4);
    List<Row> grid = new ArrayList<>();
    RunConfig defaults = config();
    DEMAND.forEach((key, v) -> {
      String[] parts = key.split("\\|");
      for (int t = 0; t < HORIZON; t++) {
        for (double d : defaults.ladder()) {
          grid.add(RowFactory.create(parts[0], parts[1], java.sql.Date.valueOf(PLAN.plusWeeks(t)), d,
              v[0] * (1 + 3 * d), 0.0, 1.0, 2.0, v[1], "test"));
        }
      }
    });
    forecasts = spark.createDataFrame(grid, OutputLayouts.FORECASTS).cache();
  }

  @AfterAll
  static void stop() {
    spark.stop();
  }

  private static RunConfig config(String... sets) {
    List<String> all = new ArrayList<>(List.of("plan.horizon=" + HORIZON, "coupling=[]",
        "rules.by-category={SHOES {min-discount = 0.1, max-discount = 0.5, max-changes = 2}}"));
    all.addAll(Arrays.asList(sets));
    return ConfigLoader.load(null, all);
  }

  /** Plan state of a dataset whose articles carry {@code a1}/{@code a2} as rule columns. */
  private static Dataset<Row> planState(String name, Object[] a1, Object[] a2) {
    Path root = TinyDataset.writeClean(spark, dir.resolve(name));
    TinyDataset.write(spark, root, "articles", ARTICLES, List.of(
        with(TinyDataset.articles().get(0), a1), with(TinyDataset.articles().get(1), a2)));
    // stock at the plan week: A1 DE 20, AT 200, FR 50; A2 DE 95, AT 45, FR 40
    List<Row> weekly = new ArrayList<>();
    Object[][] last = {{"A1", "DE", 30L, 10L, 0.0}, {"A1", "AT", 210L, 10L, 0.0}, {"A1", "FR", 60L, 10L, 0.0},
        {"A2", "DE", 100L, 5L, 0.1}, {"A2", "AT", 50L, 5L, 0.1}, {"A2", "FR", 40L, 0L, 0.1}};
    for (Object[] r : last) {
      weekly.add(RowFactory.create(r[0], r[1], W2, r[0].equals("A1") ? 50.0 : 40.0, r[4], r[3], r[2], 1.0, 0.0));
    }
    TinyDataset.write(spark, root, "weekly", TinyDataset.WEEKLY, weekly);
    ContractTables tables = DatasetReader.read(spark, root.toString());
    return PlanState.build(tables, PLAN, HORIZON).cache();
  }

  private static Row with(Row base, Object[] rules) {
    Object[] values = new Object[base.size() + rules.length];
    for (int i = 0; i < base.size(); i++) {
      values[i] = base.get(i);
    }
    System.arraycopy(rules, 0, values, base.size(), rules.length);
    values[6] = null; // no exit week: on sale through the horizon
    return RowFactory.create(values);
  }

  private static Object[] noRules() {
    return new Object[7];
  }

  private static Map<String, ArticleProblem> assemble(RunConfig config, Dataset<Row> state) {
    return new ProblemAssembler(PLAN, config, Overrides.none()).assemble(forecasts, state, 4).collect().stream()
        .collect(Collectors.toMap(ArticleProblem::key, p -> p));
  }

  @Test
  void articleRuleColumnsWinOverCategoryAndRunRules() {
    Dataset<Row> state = planState("rules",
        new Object[] {null, 0.3, 1L, 3L, false, java.sql.Date.valueOf(PLAN.plusWeeks(2)), null},
        new Object[] {null, null, null, null, null, null, 0.4});

    Map<String, ArticleProblem> problems = assemble(config(), state);

    assertThat(problems).hasSize(6);
    Rules a1 = problems.get("A1|DE").rules();
    assertThat(a1.maxLevel()).isEqualTo(3); // rule_max_discount 0.3 over the category's 0.5
    assertThat(a1.minLevel()).isEqualTo(1); // no rule_min_discount: the category's 0.1
    assertThat(a1.maxChanges()).isEqualTo(1);
    assertThat(a1.maxStepsPerWeek()).isEqualTo(3);
    assertThat(a1.markdownOnly()).isFalse();
    assertThat(a1.noTouch()).containsExactly(true, true, false, false);
    assertThat(a1.locked()).containsOnly(-1);
    Rules a2 = problems.get("A2|FR").rules();
    assertThat(a2.locked()).containsOnly(4); // rule_locked_discount 0.4 in every week
    assertThat(a2.maxChanges()).isEqualTo(4); // BAGS has no category rules: the run's
    assertThat(a2.markdownOnly()).isTrue();
    assertThat(a2.maxLevel()).isEqualTo(7);
    assertThat(a2.noTouch()).containsOnly(false);
  }

  @Test
  void aLockedDiscountOffTheLadderNamesArticleColumnAndFix() {
    Dataset<Row> state = planState("off-ladder", noRules(), new Object[] {null, null, null, null, null, null, 0.25});

    assertThatThrownBy(() -> assemble(config(), state))
        .hasStackTraceContaining("Cannot lock article A2: rule_locked_discount 0.25 is not a discount of plan.ladder "
            + "[0.0, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7]; use one of them or add it to the ladder");
  }

  @Test
  void anArticleMinimumAboveItsCategoryMaximumIsAnError() {
    Dataset<Row> state = planState("min-above-max", new Object[] {0.6, null, null, null, null, null, null}, noRules());

    assertThatThrownBy(() -> assemble(config(), state))
        .hasStackTraceContaining("Cannot price article A1: its minimum discount 0.6 is above its maximum 0.5");
  }

  @Test
  void stockConfigNamesPoolsAndRejectsAMarketInTwo() {
    RunConfig.StockConfig stock = config("stock.shared-across-markets=true", "stock.pools=[[DE, AT]]").stock();
    assertThat(stock.poolOf("AT")).isEqualTo("DE+AT");
    assertThat(stock.poolOf("FR")).isNull();
    assertThat(config("stock.pools=[[DE, AT]]").stock().poolOf("DE")).isNull(); // sharing off
    assertThat(config("stock.shared-across-markets=true").stock().poolOf("FR")).isEqualTo("*");
    assertThatThrownBy(() -> config("stock.shared-across-markets=true", "stock.pools=[[DE, AT], [AT, FR]]"))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("stock.pools")
        .hasMessageContaining("market AT is in two pools");
  }

  @Test
  void marketsOfOnePoolAreGroupedPerArticleWithTheirStockSummed() {
    RunConfig config = config("stock.shared-across-markets=true", "stock.pools=[[DE, AT]]");
    Dataset<Row> state = planState("pool", noRules(), noRules());
    var problems = new ProblemAssembler(PLAN, config, Overrides.none()).assemble(forecasts, state, 4);

    List<List<ArticleProblem>> groups = ProblemAssembler.group(problems, config.stock(), 4).collect();

    assertThat(groups).extracting(g -> g.get(0).articleId() + ":"
            + g.stream().map(ArticleProblem::market).collect(Collectors.joining("+")))
        .containsExactlyInAnyOrder("A1:AT+DE", "A1:FR", "A2:AT+DE", "A2:FR");
    List<ArticleProblem> a1 = groups.stream()
        .filter(g -> g.size() == 2 && g.get(0).articleId().equals("A1")).findFirst().orElseThrow();
    PooledArticleProblem pooled = ProblemAssembler.pooled(a1);
    assertThat(pooled.poolStock()).isEqualTo(220.0);
    // shares in proportion to demand at the live discount: DE 30 a week, AT 5
    double at = pooled.markets().get(0).startStock();
    double de = pooled.markets().get(1).startStock();
    assertThat(at + de).isCloseTo(220.0, within(1e-9));
    assertThat(de / at).isCloseTo(6.0, within(1e-9));
    assertThat(pooled.residualValue()).isCloseTo((de * 10 + at * 5) / 220, within(1e-9));
    assertThat(ProblemAssembler.group(problems, RunConfig.StockConfig.SEPARATE, 4).collect()).hasSize(6);
  }

  @Test
  void pooledMarketsSellFromTheWholePoolAndNoMoreThanIt() {
    Dataset<Row> state = planState("optimize", noRules(), noRules());
    Progress quiet = new Progress(new PrintStream(OutputStream.nullOutputStream()), spark, 0);
    RunConfig pooledConfig = config("stock.shared-across-markets=true", "stock.pools=[[DE, AT]]",
        "coupling=[{kind = discount-rate-max, target = 0.3}]");

    MarkdownOptimization.Result pooled =
        MarkdownOptimization.run(spark, forecasts, state, pooledConfig, PLAN, "pooled", Overrides.none(), quiet);
    MarkdownOptimization.Result separate = MarkdownOptimization.run(spark, forecasts, state,
        config("coupling=[{kind = discount-rate-max, target = 0.3}]"), PLAN, "separate", Overrides.none(), quiet);

    assertThat(pooled.pooledArticles()).isEqualTo(2);
    assertThat(pooled.pooledSolves()).isGreaterThanOrEqualTo(2);
    assertThat(separate.pooledArticles()).isZero();
    Dataset<Row> recs = pooled.recommendations().cache();
    assertThat(recs.count()).isEqualTo(6L * HORIZON);
    // week by week, what DE and AT sell together stays within the pool's stock at the start of the week
    for (Row r : recs.where(col(Columns.MARKET).isin("DE", "AT"))
        .groupBy(Columns.ARTICLE_ID, Columns.WEEK)
        .agg(sum("expected_units").as("units"), sum("stock_start").as("stock"), sum("stock_end").as("end"))
        .collectAsList()) {
      assertThat(r.getDouble(2)).isLessThanOrEqualTo(r.getDouble(3) + 1e-6);
      assertThat(r.getDouble(4)).isCloseTo(r.getDouble(3) - r.getDouble(2), within(1e-6));
    }
    Row a1 = recs.where("article_id = 'A1' and market in ('DE', 'AT')")
        .agg(sum("expected_units"), sum(org.apache.spark.sql.functions.when(
            col(Columns.WEEK).equalTo(java.sql.Date.valueOf(PLAN)), col("stock_start")))).first();
    assertThat(a1.getDouble(1)).isCloseTo(220.0, within(1e-6));
    assertThat(a1.getDouble(0)).isLessThanOrEqualTo(220.0 + 1e-6);
    double pooledDe = units(recs, "A1", "DE");
    double separateDe = units(separate.recommendations(), "A1", "DE");
    assertThat(separateDe).isLessThanOrEqualTo(20.0 + 1e-6); // its own stock
    assertThat(pooledDe).isGreaterThan(100.0); // draws on AT's stock
    // the markets' profits sum to the article's: the plan is worth more with the pool
    assertThat(pooled.decomposition().primalObjective()).isGreaterThan(separate.decomposition().primalObjective());
    assertThat(pooled.decomposition().feasible()).isTrue();
  }

  private static double units(Dataset<Row> recs, String article, String market) {
    return recs.where(col(Columns.ARTICLE_ID).equalTo(article).and(col(Columns.MARKET).equalTo(market)))
        .agg(sum("expected_units")).first().getDouble(0);
  }
}
