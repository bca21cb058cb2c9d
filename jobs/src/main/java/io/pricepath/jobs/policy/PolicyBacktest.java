package io.pricepath.jobs.policy;

import static org.apache.spark.sql.functions.abs;
import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.sum;

import io.pricepath.contract.Columns;
import io.pricepath.contract.ContractTables;
import io.pricepath.contract.DatasetReader;
import io.pricepath.contract.Weeks;
import io.pricepath.features.PlanState;
import io.pricepath.forecast.Forecast;
import io.pricepath.forecast.model.ModelSet;
import io.pricepath.jobs.config.ConfigException;
import io.pricepath.jobs.config.RunConfig;
import io.pricepath.jobs.optimize.MarkdownOptimization;
import io.pricepath.jobs.optimize.Overrides;
import io.pricepath.jobs.optimize.SeasonToDate;
import io.pricepath.jobs.steps.Progress;
import io.pricepath.jobs.weekly.ForecastConfigs;
import io.pricepath.simulate.GroundTruth;
import io.pricepath.simulate.PlanOutcome;
import io.pricepath.simulate.PlanTotals;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;

/**
 * Policy evaluation on the simulator: runs a season of W weeks from a generated market's plan
 * week, week by week, for every {@link Policy} on the same simulated market, and reports what each
 * realised.
 *
 * <p>Each week, every policy decides the discount of every (article, market) that was on sale at
 * the plan week: pricepath builds the plan state from the history realised under it so far,
 * forecasts with models trained at the first week and retrained every {@code retrainEveryWeeks},
 * optimises over {@code min(plan.horizon, weeks left in the season)} under the configured rules and
 * company-wide targets and applies the first week's discounts; the oracle does the same with the
 * simulator's true figures as its forecast grid; no-markdown keeps the live discounts; the rule
 * ladder follows {@link RuleLadder#standard}. An (article, market) the optimizer does not price that
 * week (sold out, or past its exit week) keeps its discount. The simulator then realises the
 * policy's plan so far with its true demand ({@link GroundTruth#simulate}, same seed for every
 * policy, so every article-market draws from the same random stream), and the week's rows join the
 * policy's history. At the end each policy's whole season is simulated once more: it must
 * reproduce every week as it was realised week by week (checked), and gives the totals, the
 * residual value of the stock left and the same decisions' profit on expected demand.
 *
 * <p>Writes {@code OUT/policy-backtest.json}, {@code OUT/report.html} and, per policy, {@code
 * OUT/policies/<policy>/} (see {@link World}).
 */
public final class PolicyBacktest {
  /** The result file under the output folder. */
  public static final String JSON = "policy-backtest.json";
  /** The report under the output folder. */
  public static final String REPORT = "report.html";
  /** The per-policy folders under the output folder. */
  public static final String POLICIES = "policies";

  private static final String[] KEYS = World.KEYS;
  private static final String LIVE = "live_discount";
  private static final String RECOMMENDED = "recommended";
  private static final String PREVIOUS = "previous";

  private PolicyBacktest() {}

  /**
   * What to evaluate.
   *
   * @param data root of a generated market (with {@code truth/})
   * @param out output folder
   * @param weeks weeks in the season, from the dataset's plan week
   * @param config run configuration: horizon, ladder, rules, company-wide targets, forecast and
   *     optimizer settings ({@code plan.week} must be empty or the dataset's plan week)
   * @param retrainEveryWeeks pricepath's models are trained at the first week and again every this
   *     many weeks
   * @param seed seed of the simulator's draws
   * @param expectedDemand realise every week with expected demand instead of random draws
   * @param seasonTargets the optimising policies' horizon-wide targets hold over the season: each
   *     week's targets count what the season realised before it (from its first week, or from
   *     {@code coupling-season-start} when set); false: over each week's rolling horizon alone
   * @param truthColumns columns of {@code forecasts/} (e.g. {@code residual_value_per_unit}) that
   *     pricepath takes from the simulator's truth instead of its models: a diagnostic that
   *     attributes the gap to the oracle to the forecast targets; empty for the policy as it is
   */
  public record Request(
      String data, String out, int weeks, RunConfig config, int retrainEveryWeeks, long seed,
      boolean expectedDemand, boolean seasonTargets, Set<String> truthColumns) {
    /** Forecast columns that {@code truthColumns} may name. */
    public static final List<String> FORECAST_COLUMNS = List.of(Columns.DEMAND, Columns.RETURN_RATE,
        Columns.RETURN_WEEKS, Columns.FULFILLMENT_COST_PER_UNIT, Columns.RESIDUAL_VALUE_PER_UNIT,
        Request.DEMAND_CATEGORY_ELASTICITY);

    /**
     * A {@code truthColumns} entry: the true demand with each (article, market)'s elasticity replaced by the mean
     * of its category and market — how much of the oracle's gain a forecast that knows price response only by
     * category can capture.
     */
    public static final String DEMAND_CATEGORY_ELASTICITY = "demand@category-elasticity";

    public Request {
      Objects.requireNonNull(data, "data");
      Objects.requireNonNull(out, "out");
      Objects.requireNonNull(config, "config");
      truthColumns = Set.copyOf(truthColumns);
      for (String column : truthColumns) {
        if (!FORECAST_COLUMNS.contains(column)) {
          throw new IllegalArgumentException("Cannot run the policy backtest: truth column %s is not one of %s"
              .formatted(column, FORECAST_COLUMNS));
        }
      }
      if (weeks < 1 || weeks > 104) {
        throw new IllegalArgumentException(
            "Cannot run the policy backtest: weeks must be between 1 and 104 (%d)".formatted(weeks));
      }
      if (retrainEveryWeeks < 1) {
        throw new IllegalArgumentException(
            "Cannot run the policy backtest: retrainEveryWeeks must be >= 1 (%d)".formatted(retrainEveryWeeks));
      }
    }

    /** The policy as it is: targets over the season, every forecast from pricepath's models. */
    public Request(String data, String out, int weeks, RunConfig config, int retrainEveryWeeks, long seed,
        boolean expectedDemand) {
      this(data, out, weeks, config, retrainEveryWeeks, seed, expectedDemand, true, Set.of());
    }

    /** A request that retrains per {@code retrain.every-weeks} and draws demand with {@code seed}. */
    public static Request of(String data, String out, int weeks, RunConfig config, long seed) {
      return new Request(data, out, weeks, config, config.models().retrainEveryWeeks(), seed, false);
    }
  }

  /**
   * Runs the season for every policy, writes the JSON result and the HTML report, and returns the
   * figures.
   *
   * @throws IllegalArgumentException when {@code data} is not a generated market or nothing is on
   *     sale at its plan week
   * @throws ConfigException when {@code plan.week} is not the dataset's plan week
   * @throws IllegalStateException when the simulator does not reproduce a week it realised before
   */
  public static PolicyBacktestResult run(SparkSession spark, Request request, PrintStream console)
      throws IOException {
    long start = System.nanoTime();
    Progress progress = new Progress(console, spark, 0);
    Configuration hadoop = spark.sparkContext().hadoopConfiguration();
    RunConfig config = request.config();
    Path data = new Path(request.data());
    if (!data.getFileSystem(hadoop).exists(new Path(data, "truth"))) {
      throw new IllegalArgumentException(("Cannot run the policy backtest: %s holds no simulator truth (no truth/ "
          + "folder); pass a dataset root written by pricepath generate").formatted(request.data()));
    }
    GroundTruth truth = GroundTruth.load(spark, request.data());
    LocalDate planWeek = truth.planWeek();
    if (config.planWeek() != null && !config.planWeek().equals(planWeek)) {
      throw new ConfigException("plan.week", config.planWeek(),
          "must be empty or the dataset's plan week %s, where the simulator's truth starts".formatted(planWeek));
    }
    Path out = new Path(request.out());
    FileSystem fs = out.getFileSystem(hadoop);
    Path policiesDir = new Path(out, POLICIES);
    fs.delete(policiesDir, true);
    fs.mkdirs(policiesDir);

    Dataset<Row> population = truth.parameters()
        .filter(col(Columns.EXIT_WEEK).geq(lit(planWeek)).and(col("start_stock").gt(0)))
        .select(col(Columns.ARTICLE_ID), col(Columns.MARKET), col(Columns.CATEGORY), col(Columns.FIRST_WEEK),
            col(Columns.EXIT_WEEK), col(Columns.BLACK_PRICE), col(LIVE))
        .persist();
    long articleMarkets = population.count();
    if (articleMarkets == 0) {
      throw new IllegalArgumentException(
          ("Cannot run the policy backtest: no article of %s is on sale at its plan week %s (stock left, exit week "
              + "not passed)").formatted(request.data(), planWeek));
    }
    progress.line("policy backtest: %d weeks from %s, %,d article-markets on sale, horizon %d, %s".formatted(
        request.weeks(), planWeek, articleMarkets, config.horizon(),
        request.expectedDemand() ? "expected demand" : "demand drawn with seed " + request.seed()));
    LocalDate seasonStart = seasonStart(request, planWeek);
    progress.line(seasonStart == null ? "targets over each week's horizon alone"
        : "targets over the season from %s to date plus each week's horizon".formatted(seasonStart));
    if (!request.truthColumns().isEmpty()) {
      progress.line("diagnostic: pricepath takes %s from the simulator's truth"
          .formatted(String.join(", ", new java.util.TreeSet<>(request.truthColumns()))));
    }

    Map<Policy, World> worlds = new EnumMap<>(Policy.class);
    for (Policy policy : Policy.values()) {
      World world = new World(policy, policiesDir);
      if (policy.optimizes()) {
        world.copyHistory(data, hadoop);
      }
      worlds.put(policy, world);
    }
    double[] ladder = config.ladder();
    RuleLadder rule = RuleLadder.standard(ladder[ladder.length - 1]);
    Models models = new Models(spark, config, request, worlds.get(Policy.PRICEPATH), progress);
    Map<Policy, List<WeekRecord>> records = new EnumMap<>(Policy.class);
    for (Policy policy : Policy.values()) {
      records.put(policy, new ArrayList<>());
    }

    try {
      for (int k = 0; k < request.weeks(); k++) {
        LocalDate week = planWeek.plusWeeks(k);
        int horizon = Math.min(config.horizon(), request.weeks() - k);
        progress.line("week %d/%d %s (optimizer horizon %d)".formatted(k + 1, request.weeks(), week, horizon));
        for (Policy policy : Policy.values()) {
          long t0 = System.nanoTime();
          World world = worlds.get(policy);
          Dataset<Row> decisions;
          Optimized optimized = Optimized.NONE;
          switch (policy) {
            case NO_MARKDOWN -> decisions = population.select(
                col(Columns.ARTICLE_ID), col(Columns.MARKET), lit(week).as(Columns.WEEK), col(LIVE).as(Columns.DISCOUNT));
            case RULE_LADDER -> decisions = population.select(
                col(Columns.ARTICLE_ID), col(Columns.MARKET), lit(week).as(Columns.WEEK),
                rule.discount(lit(week), col(Columns.FIRST_WEEK), col(LIVE)).as(Columns.DISCOUNT));
            default -> {
              optimized = optimize(spark, policy, world, truth, population, config, week, horizon, models,
                  seasonStart, request.truthColumns());
              Dataset<Row> previous = k == 0
                  ? population.select(col(Columns.ARTICLE_ID), col(Columns.MARKET), col(LIVE).as(PREVIOUS))
                  : world.plan(spark).filter(col(Columns.WEEK).equalTo(lit(week.minusWeeks(1))))
                      .select(col(Columns.ARTICLE_ID), col(Columns.MARKET), col(Columns.DISCOUNT).as(PREVIOUS));
              decisions = previous.join(optimized.recommended(spark), KEYS, "left").select(
                  col(Columns.ARTICLE_ID), col(Columns.MARKET), lit(week).as(Columns.WEEK),
                  coalesce(col(RECOMMENDED), col(PREVIOUS)).as(Columns.DISCOUNT));
            }
          }
          world.appendDecisions(decisions);
          optimized.release(spark);

          PlanOutcome outcome = truth.simulate(world.plan(spark), request.seed(), request.expectedDemand());
          Dataset<Row> prefix = outcome.rows().persist();
          try {
            Dataset<Row> weekRows = prefix.filter(col(Columns.WEEK).equalTo(lit(week)));
            world.appendRealised(weekRows);
            if (policy.optimizes()) {
              world.appendHistory(spark, prefix, week, planWeek, population, truth);
            }
          } finally {
            prefix.unpersist();
          }
          Row sums = world.realised(spark).filter(col(Columns.WEEK).equalTo(lit(week)))
              .agg(sum(col("profit")), sum(col("units")))
              .first();
          List<WeekRecord> list = records.get(policy);
          double cumulative = (list.isEmpty() ? 0 : list.get(list.size() - 1).cumulative()) + sums.getDouble(0);
          list.add(new WeekRecord(week, optimized.articles(), optimized.gap(), optimized.met(), cumulative));
          String detail = policy.optimizes()
              ? optimized.articles() == 0 ? "nothing to price"
                  : optimized.met()
                      ? "priced %,d, gap %.3f %%, targets met".formatted(optimized.articles(),
                          100 * Math.max(0, optimized.gap()))
                      : "priced %,d, least-violating plan applied: %s".formatted(optimized.articles(), optimized.summary())
              : "rule";
          progress.line(String.format(Locale.ROOT, "    %-12s profit %,14.0f  cumulative %,14.0f  units %,10.0f  (%s; %s)",
              policy.label(), sums.getDouble(0), cumulative, sums.getDouble(1), detail,
              Progress.duration((System.nanoTime() - t0) / 1_000_000)));
        }
      }
    } finally {
      models.close();
    }

    progress.line("final replay of every policy's season");
    List<PolicyBacktestResult.PolicyFigures> figures = new ArrayList<>();
    for (Policy policy : Policy.values()) {
      figures.add(season(spark, truth, worlds.get(policy), records.get(policy), request, config));
    }
    population.unpersist();
    PolicyBacktestResult result = new PolicyBacktestResult(planWeek, request.weeks(), articleMarkets,
        request.expectedDemand(), request.seed(), figures, (System.nanoTime() - start) / 1_000_000);
    Reports.writeJson(result, request, new Path(out, JSON), fs);
    Reports.writeHtml(result, new Path(out, REPORT), fs);
    return result;
  }

  /** What the optimizer recorded in one week. */
  record WeekRecord(LocalDate week, long articles, double gap, boolean met, double cumulative) {}

  /** One week's optimisation of a policy that optimises; {@link #NONE} for the others. */
  record Optimized(Path recommendations, long articles, double gap, boolean met, String summary,
      Set<Integer> cachedRdds) {
    static final Optimized NONE = new Optimized(null, 0, Double.NaN, true, "", Set.of());

    /** {@code article_id, market, recommended}: the first week's discount of every article priced. */
    Dataset<Row> recommended(SparkSession spark) {
      if (recommendations == null) {
        return spark.createDataFrame(List.of(), new org.apache.spark.sql.types.StructType()
            .add(Columns.ARTICLE_ID, "string").add(Columns.MARKET, "string").add(RECOMMENDED, "double"));
      }
      return spark.read().parquet(recommendations.toString());
    }

    /** Frees what the optimisation left cached on the executors. */
    void release(SparkSession spark) {
      JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
      jsc.getPersistentRDDs().forEach((id, rdd) -> {
        if (cachedRdds.contains(id)) {
          rdd.unpersist(false);
        }
      });
    }
  }

  /**
   * The first week of the season the targets count from: {@code coupling-season-start} when set,
   * else the backtest's first week; null when {@code seasonTargets} is off.
   */
  static LocalDate seasonStart(Request request, LocalDate planWeek) {
    if (!request.seasonTargets()) {
      return null;
    }
    LocalDate configured = request.config().couplingSeasonStart();
    return configured != null ? configured : planWeek;
  }

  private static Optimized optimize(SparkSession spark, Policy policy, World world, GroundTruth truth,
      Dataset<Row> population, RunConfig config, LocalDate week, int horizon, Models models, LocalDate seasonStart,
      Set<String> truthColumns) {
    ContractTables tables = DatasetReader.read(spark, world.dataRoot().toString());
    Path statePath = world.work("plan_state");
    PlanState.build(tables, week, horizon)
        .join(population.select(col(Columns.ARTICLE_ID), col(Columns.MARKET)), KEYS, "left_semi")
        .write().mode(SaveMode.Overwrite).parquet(statePath.toString());
    Dataset<Row> state = spark.read().parquet(statePath.toString());
    List<Row> groups = state.select(col(Columns.MARKET), col(Columns.CATEGORY)).distinct().collectAsList();
    if (groups.isEmpty()) {
      return Optimized.NONE;
    }
    RunConfig weekConfig = weekConfig(config, week, horizon, groups);
    Dataset<Row> grid = policy == Policy.ORACLE
        ? TruthGrid.of(spark, truth, state, week, horizon, config.ladder())
        : Forecast.grid(spark, tables, state, week,
            ForecastConfigs.settings(weekConfig, spark.sparkContext().defaultParallelism()), models.forWeek(week));
    if (policy == Policy.PRICEPATH && !truthColumns.isEmpty()) {
      boolean categoryElasticity = truthColumns.contains(Request.DEMAND_CATEGORY_ELASTICITY);
      Set<String> columns = new HashSet<>(truthColumns);
      columns.remove(Request.DEMAND_CATEGORY_ELASTICITY);
      if (categoryElasticity) {
        columns.add(Columns.DEMAND);
      }
      grid = TruthGrid.replace(grid,
          TruthGrid.of(spark, truth, state, week, horizon, config.ladder(), categoryElasticity), columns);
    }
    Path gridPath = world.work("forecasts");
    grid.write().mode(SaveMode.Overwrite).parquet(gridPath.toString());
    Dataset<Row> forecasts = spark.read().schema(TruthGrid.SCHEMA).parquet(gridPath.toString());

    JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
    Set<Integer> before = new HashSet<>(jsc.getPersistentRDDs().keySet());
    Progress quiet = new Progress(new PrintStream(OutputStream.nullOutputStream()), spark, 0);
    MarkdownOptimization.Result result = MarkdownOptimization.run(spark, forecasts, state, weekConfig, week,
        "policy-backtest-%s-%s".formatted(policy.label(), week), Overrides.none(), quiet,
        SeasonToDate.of(tables, seasonStart, week));
    Path recommendations = world.work("recommended-" + week);
    result.recommendations().filter(col(Columns.WEEK).equalTo(lit(week)))
        .select(col(Columns.ARTICLE_ID), col(Columns.MARKET), col(Columns.DISCOUNT).as(RECOMMENDED))
        .write().mode(SaveMode.Overwrite).parquet(recommendations.toString());
    Set<Integer> cached = new HashSet<>(jsc.getPersistentRDDs().keySet());
    cached.removeAll(before);
    var d = result.decomposition();
    return new Optimized(recommendations, result.articles(), d.gap(), d.feasible(), d.summary(), cached);
  }

  /**
   * The run configuration of one week: the horizon cut to the weeks left in the season, and only
   * the company-wide targets that concern the horizon and a market (and category) on sale.
   */
  static RunConfig weekConfig(RunConfig c, LocalDate week, int horizon, List<Row> marketCategories) {
    Set<String> markets = new HashSet<>();
    Set<String> categories = new HashSet<>();
    Set<String> pairs = new HashSet<>();
    for (Row r : marketCategories) {
      String market = r.getString(0);
      String category = r.isNullAt(1) ? null : r.getString(1);
      markets.add(market);
      categories.add(category);
      pairs.add(market + "|" + category);
    }
    List<RunConfig.CouplingConfig> coupling = c.coupling().stream()
        .filter(row -> row.week() < horizon)
        .filter(row -> row.market() == null || markets.contains(row.market()))
        .filter(row -> row.category() == null
            || (row.market() == null ? categories.contains(row.category())
                : pairs.contains(row.market() + "|" + row.category())))
        .toList();
    return new RunConfig(c.sparkMaster(), c.shufflePartitions(), week, horizon, c.ladder(), c.rules(), coupling,
        c.budgetVsUnconstrained(), c.forecast(), c.optimizer(), c.quarantineDir(), c.review(), c.models(),
        c.categoryRules(), null, null, c.stock(), c.couplingSeasonStart());
  }

  /** pricepath's models: trained at the first week, again every {@code retrainEveryWeeks}. */
  private static final class Models implements AutoCloseable {
    private final SparkSession spark;
    private final RunConfig trainConfig;
    private final int every;
    private final World world;
    private final Progress progress;
    private ModelSet current;
    private LocalDate trainedFor;

    Models(SparkSession spark, RunConfig config, Request request, World world, Progress progress) {
      this.spark = spark;
      this.trainConfig = weekConfig(config, null, Math.min(config.horizon(), request.weeks()), List.of());
      this.every = request.retrainEveryWeeks();
      this.world = world;
      this.progress = progress;
    }

    ModelSet forWeek(LocalDate week) {
      if (current != null && Weeks.between(trainedFor, week) < every) {
        return current;
      }
      close();
      long t0 = System.nanoTime();
      ContractTables tables = DatasetReader.read(spark, world.dataRoot().toString());
      current = Forecast.train(spark, tables, week,
          ForecastConfigs.settings(trainConfig, spark.sparkContext().defaultParallelism()),
          world.models(week).toString());
      trainedFor = week;
      progress.line("    pricepath: models trained on the history up to %s (%s)".formatted(week.minusWeeks(1),
          Progress.duration((System.nanoTime() - t0) / 1_000_000)));
      return current;
    }

    @Override
    public void close() {
      if (current != null) {
        current.close();
        current = null;
      }
    }
  }

  /** The whole season of one policy replayed at once: totals, week by week figures, adherence. */
  private static PolicyBacktestResult.PolicyFigures season(SparkSession spark, GroundTruth truth, World world,
      List<WeekRecord> records, Request request, RunConfig config) {
    Dataset<Row> plan = world.plan(spark);
    PlanOutcome outcome = truth.simulate(plan, request.seed(), request.expectedDemand());
    Dataset<Row> rows = outcome.rows().persist();
    try {
      checkReproduced(rows, world.realised(spark), world.policy(), request.seed());
      PlanTotals totals = outcome.totals();
      double expectedProfit = request.expectedDemand() ? totals.totalProfit()
          : truth.simulate(plan, request.seed(), true).totals().totalProfit();

      Column black = col("price").divide(lit(1.0).minus(col(Columns.DISCOUNT)));
      List<Row> byMarketWeek = rows
          .groupBy(col(Columns.MARKET), col(Columns.WEEK))
          .agg(sum(black.multiply(col("units"))).as("gross"),
              sum(black.multiply(col("units")).multiply(col(Columns.DISCOUNT))).as("markdown"),
              sum(col("profit").plus(col(Columns.RESIDUAL_VALUE))).as("profit"),
              sum(col("revenue")).as("revenue"),
              sum(col("units")).as("units"))
          .collectAsList();
      Map<LocalDate, double[]> weeks = new TreeMap<>();
      Map<String, Map<LocalDate, double[]>> markets = new TreeMap<>();
      for (Row r : byMarketWeek) {
        LocalDate week = Weeks.toLocalDate(r.get(1));
        double[] v = {r.getDouble(2), r.getDouble(3), r.getDouble(4), r.getDouble(5), r.getDouble(6)};
        double[] w = weeks.computeIfAbsent(week, x -> new double[5]);
        for (int i = 0; i < v.length; i++) {
          w[i] += v[i];
        }
        markets.computeIfAbsent(r.getString(0), x -> new TreeMap<>()).put(week, v);
      }
      List<PolicyBacktestResult.WeekFigures> weekly = new ArrayList<>();
      double cumulative = 0;
      int index = 0;
      for (Map.Entry<LocalDate, double[]> e : weeks.entrySet()) {
        double[] v = e.getValue();
        cumulative += v[2];
        WeekRecord record = index < records.size() ? records.get(index) : null;
        index++;
        weekly.add(new PolicyBacktestResult.WeekFigures(e.getKey(), v[2], v[3], v[4], rate(v[1], v[0]), cumulative,
            record == null ? 0 : record.articles(), record == null ? Double.NaN : record.gap(),
            record == null || record.met()));
      }
      List<PolicyBacktestResult.MarketAdherence> adherence = new ArrayList<>();
      for (Map.Entry<String, Map<LocalDate, double[]>> e : markets.entrySet()) {
        double[] bounds = bounds(config, e.getKey());
        double gross = 0;
        double markdown = 0;
        int within = 0;
        int withSales = 0;
        for (double[] v : e.getValue().values()) {
          gross += v[0];
          markdown += v[1];
          if (v[0] > 0) {
            withSales++;
            var weekAdherence = new PolicyBacktestResult.MarketAdherence(e.getKey(), v[1] / v[0], bounds[0],
                bounds[1], 0, 0);
            within += weekAdherence.met() ? 1 : 0;
          }
        }
        adherence.add(new PolicyBacktestResult.MarketAdherence(e.getKey(), rate(markdown, gross), bounds[0],
            bounds[1], within, withSales));
      }
      return new PolicyBacktestResult.PolicyFigures(world.policy(), totals.totalProfit(), totals.revenue(),
          totals.fulfillmentCost(), totals.residualValue(), totals.units(), totals.returns(),
          totals.startingStock(), totals.sellThrough(), expectedProfit, weekly, adherence);
    } finally {
      rows.unpersist();
    }
  }

  private static double rate(double markdown, double gross) {
    return gross > 0 ? markdown / gross : Double.NaN;
  }

  /** The market-wide, horizon-wide discount-rate bounds of {@code market}: {lower, upper}, NaN for none. */
  static double[] bounds(RunConfig config, String market) {
    double lower = Double.NaN;
    double upper = Double.NaN;
    for (RunConfig.CouplingConfig row : config.coupling()) {
      if (row.category() != null || row.week() >= 0 || (row.market() != null && !row.market().equals(market))) {
        continue;
      }
      if (row.kind().equals("discount-rate-min")) {
        lower = Double.isNaN(lower) ? row.target() : Math.max(lower, row.target());
      } else if (row.kind().equals("discount-rate-max")) {
        upper = Double.isNaN(upper) ? row.target() : Math.min(upper, row.target());
      }
    }
    return new double[] {lower, upper};
  }

  /** The season replayed at once must give every week exactly as it was realised week by week. */
  private static void checkReproduced(Dataset<Row> season, Dataset<Row> realised, Policy policy, long seed) {
    String[] compared = {"stock_start", "returns_in", "units", "returns", "revenue", Columns.FULFILLMENT_COST,
        "stock_end"};
    Dataset<Row> a = season.alias("a");
    Dataset<Row> b = realised.alias("b");
    Column on = col("a." + Columns.ARTICLE_ID).equalTo(col("b." + Columns.ARTICLE_ID))
        .and(col("a." + Columns.MARKET).equalTo(col("b." + Columns.MARKET)))
        .and(col("a." + Columns.WEEK).equalTo(col("b." + Columns.WEEK)));
    Column differs = col("a." + Columns.ARTICLE_ID).isNull().or(col("b." + Columns.ARTICLE_ID).isNull());
    for (String c : compared) {
      differs = differs.or(abs(col("a." + c).minus(col("b." + c))).gt(abs(col("a." + c)).multiply(1e-12).plus(1e-9)));
    }
    Dataset<Row> mismatches = a.join(b, on, "full_outer").filter(differs);
    List<Row> examples = mismatches.limit(1).collectAsList();
    if (!examples.isEmpty()) {
      throw new IllegalStateException(("Cannot evaluate policy %s: replaying its whole season with seed %d does not "
          + "reproduce the weeks it realised week by week (%,d rows differ, e.g. %s)")
          .formatted(policy.label(), seed, mismatches.count(), examples.get(0)));
    }
  }
}
