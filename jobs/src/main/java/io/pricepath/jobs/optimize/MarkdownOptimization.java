package io.pricepath.jobs.optimize;

import static org.apache.spark.sql.functions.col;

import io.pricepath.contract.Columns;
import io.pricepath.jobs.config.RunConfig;
import io.pricepath.jobs.steps.Progress;
import io.pricepath.optimizer.article.ArticleProblem;
import io.pricepath.optimizer.article.ArticleSolver;
import io.pricepath.optimizer.article.CouplingWeights;
import io.pricepath.optimizer.article.PathOutcome;
import io.pricepath.optimizer.article.PathSummary;
import io.pricepath.optimizer.lagrangian.CouplingRow;
import io.pricepath.optimizer.lagrangian.DecompositionResult;
import io.pricepath.optimizer.lagrangian.DecompositionSettings;
import io.pricepath.optimizer.lagrangian.LagrangianDecomposition;
import io.pricepath.optimizer.pooled.PooledArticleProblem;
import io.pricepath.optimizer.pooled.PooledArticleSolver;
import java.io.Serializable;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import scala.Tuple2;

/**
 * The optimize step: assembles every (article, market) problem from the forecast grid (under the
 * run's, the category's and the article's own rules), groups the markets of an article that share
 * one stock pool into one subproblem ({@code stock.*}), runs the Lagrangian decomposition with the
 * subproblems on Spark executors, and turns the recovered plan into the contract's
 * recommendations, one row per (article, market, week) whether pooled or not.
 */
public final class MarkdownOptimization {

  /** Schema of {@code recommendations/}, as the data contract lists it. */
  public static final StructType RECOMMENDATIONS = new StructType()
      .add(Columns.ARTICLE_ID, DataTypes.StringType, false)
      .add(Columns.MARKET, DataTypes.StringType, false)
      .add(Columns.WEEK, DataTypes.DateType, false)
      .add(Columns.DISCOUNT, DataTypes.DoubleType, false)
      .add(Columns.BLACK_PRICE, DataTypes.DoubleType, false)
      .add("price", DataTypes.DoubleType, false)
      .add("expected_units", DataTypes.DoubleType, false)
      .add("expected_returns", DataTypes.DoubleType, false)
      .add("expected_revenue", DataTypes.DoubleType, false)
      .add("expected_profit", DataTypes.DoubleType, false)
      .add("stock_start", DataTypes.DoubleType, true)
      .add("stock_end", DataTypes.DoubleType, true)
      .add("locked", DataTypes.BooleanType, false)
      .add("review", DataTypes.BooleanType, false)
      .add("review_reason", DataTypes.StringType, true)
      .add("run_id", DataTypes.StringType, false);

  private MarkdownOptimization() {}

  /**
   * What the optimize step found.
   *
   * @param recommendations one row per (article, market, week), the contract's layout
   * @param decomposition primal objective, dual bound, gap and iterations
   * @param rows the coupling rows it met (or tried to)
   * @param relativeBudgetRows indexes in {@code rows} of the budgets granted by {@code
   *     markdown-budget-vs-unconstrained}
   * @param markets per-market figures of the plan, by market
   * @param articles (article, market) pairs priced
   * @param solveMillis time spent solving article problems (all full evaluations)
   * @param articleSolves article problems solved exactly
   * @param pooledArticles articles whose markets share one stock pool, each solved as one problem
   *     (0 unless {@code stock.shared-across-markets})
   * @param pooledSolves exact solves of pooled articles (all full evaluations)
   * @param pooledSolveMillis their wall time on the executors
   * @param overrideWarnings the managers' edits the plan could not apply, or applied against a rule
   * @param review the review list, largest money at stake first, and how it was cut
   */
  public record Result(
      Dataset<Row> recommendations,
      DecompositionResult decomposition,
      List<CouplingRow> rows,
      Set<Integer> relativeBudgetRows,
      Map<String, MarketFigures> markets,
      long articles,
      long solveMillis,
      long articleSolves,
      long pooledArticles,
      long pooledSolves,
      double pooledSolveMillis,
      List<String> overrideWarnings,
      ReviewList.Summary review) {

    /** Mean wall time of one exact solve of a pooled article, in milliseconds (0 without any). */
    public double meanPooledSolveMillis() {
      return pooledSolves == 0 ? 0 : pooledSolveMillis / pooledSolves;
    }
  }

  /**
   * Figures of one market's plan against keeping the live prices.
   *
   * @param articles (article, market) pairs
   * @param units expected gross units
   * @param grossValue Σ black price × units
   * @param discountValue Σ discount × black price × units
   * @param revenue expected revenue net of returns
   * @param profit expected profit of the plan
   * @param baselineProfit expected profit of keeping the live discount all horizon
   * @param stockStart units at the start
   * @param stockEnd units left after the horizon
   * @param review articles flagged for review
   * @param returnsDue units the returns of sales before the plan week bring back during the horizon
   */
  public record MarketFigures(
      long articles, double units, double grossValue, double discountValue, double revenue, double profit,
      double baselineProfit, double stockStart, double stockEnd, long review, double returnsDue)
      implements Serializable {

    static MarketFigures zero() {
      return new MarketFigures(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0);
    }

    MarketFigures withReview(long flagged) {
      return new MarketFigures(articles, units, grossValue, discountValue, revenue, profit, baselineProfit,
          stockStart, stockEnd, flagged, returnsDue);
    }

    MarketFigures plus(MarketFigures o) {
      return new MarketFigures(articles + o.articles, units + o.units, grossValue + o.grossValue,
          discountValue + o.discountValue, revenue + o.revenue, profit + o.profit,
          baselineProfit + o.baselineProfit, stockStart + o.stockStart, stockEnd + o.stockEnd, review + o.review,
          returnsDue + o.returnsDue);
    }

    /** Sales-weighted average discount. */
    public double averageDiscount() {
      return grossValue > 0 ? discountValue / grossValue : 0;
    }
  }

  /** Runs the optimization for one plan week, every target over the horizon alone. */
  public static Result run(SparkSession spark, Dataset<Row> forecasts, Dataset<Row> planState, RunConfig config,
      LocalDate planWeek, String runId, Overrides overrides, Progress progress) {
    return run(spark, forecasts, planState, config, planWeek, runId, overrides, progress, SeasonToDate.none());
  }

  /** Runs the optimization for one plan week, the horizon-wide targets over {@code season} to date plus the horizon. */
  public static Result run(SparkSession spark, Dataset<Row> forecasts, Dataset<Row> planState, RunConfig config,
      LocalDate planWeek, String runId, Overrides overrides, Progress progress, SeasonToDate season) {
    return run(spark, forecasts, planState, config, planWeek, runId, overrides, progress, season, null);
  }

  /**
   * Runs the optimization for one plan week. With {@code held} (a daily run), the articles of
   * {@code planState} are priced against what the weekly run's plans left of every target, and a
   * target none of them takes part in is left to those plans; without it (null), the targets come
   * from the config and {@code season}.
   */
  public static Result run(SparkSession spark, Dataset<Row> forecasts, Dataset<Row> planState, RunConfig config,
      LocalDate planWeek, String runId, Overrides overrides, Progress progress, SeasonToDate season,
      HeldPlans held) {
    JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
    int partitions = Math.max(2, jsc.defaultParallelism() * 4);
    if (overrides.lockedWeeks() > 0) {
      progress.line("    manager overrides: %,d locked weeks on %,d article-markets from %s".formatted(
          overrides.lockedWeeks(), overrides.locked().size(), overrides.file()));
    }
    List<String> overrideWarnings = overrides.check(planState, config.ladder(), config.rules().markdownOnly());
    for (String warning : overrideWarnings) {
      progress.line("    warning: " + warning);
    }
    ProblemAssembler assembler = new ProblemAssembler(planWeek, config, overrides);
    JavaRDD<ArticleProblem> problems = assembler.assemble(forecasts, planState, partitions).cache();
    long articles = problems.count();
    progress.line("    %,d article-market problems, %d weeks × %d discount levels".formatted(
        articles, config.horizon(), config.ladder().length));
    JavaRDD<List<ArticleProblem>> groups = ProblemAssembler.group(problems, config.stock(), partitions).cache();
    long pooledArticles = config.stock().sharedAcrossMarkets() ? groups.filter(g -> g.size() > 1).count() : 0;
    if (pooledArticles > 0) {
      progress.line("    shared stock: %,d articles priced jointly across the markets of their pool".formatted(
          pooledArticles));
    }

    List<String> markets = planState.select(col(Columns.MARKET)).distinct().as(
        org.apache.spark.sql.Encoders.STRING()).collectAsList().stream().sorted().toList();
    List<CouplingRow> rows = new ArrayList<>();
    Set<Integer> relativeBudgets = new TreeSet<>();
    if (held != null) {
      Map<String, double[]> spend = held.hasRelativeBudgets() ? spendRange(groups) : Map.of();
      rows.addAll(held.remaining(spend, config.budgetVsUnconstrained()));
      for (int r = 0; r < held.rows().size(); r++) {
        if (held.rows().get(r).relativeBudget()) {
          relativeBudgets.add(r);
        }
      }
    } else {
      rows.addAll(CouplingRows.seasonToDate(CouplingRows.expand(config.coupling(), markets), season));
      if (config.budgetVsUnconstrained() > 0) {
        // Markdowns only: keeping the live discounts is the least any plan can spend. The budget
        // grants that floor plus the configured share of what the plan without targets adds to it.
        Map<String, double[]> spend = spendRange(groups);
        spend.forEach((market, range) -> {
          relativeBudgets.add(rows.size());
          rows.add(CouplingRows.budget(market,
              range[0] + config.budgetVsUnconstrained() * Math.max(0, range[1] - range[0])));
        });
      }
    }

    long onSale = planState.count();
    if (articles != onSale) {
      throw new IllegalStateException(
          "Cannot optimise: the forecast grid covers %,d of the %,d article-markets on sale (re-run the forecast step)"
              .formatted(articles, onSale));
    }
    List<CouplingRow> candidates = List.copyOf(rows);
    Map<Integer, Long> members = problems.flatMap(p -> java.util.stream.IntStream.range(0, candidates.size())
        .filter(r -> candidates.get(r).appliesTo(p)).boxed().iterator()).countByValue();
    List<CouplingRow> kept = new ArrayList<>();
    Set<Integer> keptRelative = new TreeSet<>();
    for (int r = 0; r < candidates.size(); r++) {
      CouplingRow row = candidates.get(r);
      if (members.getOrDefault(r, 0L) > 0) {
        if (relativeBudgets.contains(r)) {
          keptRelative.add(kept.size());
        }
        kept.add(row);
        progress.line("    target " + row.name());
      } else if (held != null) {
        progress.line("    target %s: no new article takes part, the week's plans hold it".formatted(row.name()));
      } else {
        throw new io.pricepath.jobs.config.ConfigException(
            "Cannot use coupling target \"%s\": no article on sale takes part (market %s%s; markets on sale: %s)"
                .formatted(row.name(), row.market(), row.category() == null ? "" : ", category " + row.category(),
                    String.join(", ", markets)));
      }
    }
    List<CouplingRow> couplingRows = List.copyOf(kept);
    JavaRDD<Subproblem> states = groups.map(g -> Subproblem.of(g, couplingRows));
    SparkArticlePool pool = new SparkArticlePool(states, couplingRows);
    var settings = new DecompositionSettings(
        config.optimizer().maxIterations(), config.optimizer().gapTolerance(), config.optimizer().heuristicCuts());
    if (config.optimizer().onMissedTargets().equals("soft")) {
      settings = settings.withSoftPenalty(config.optimizer().softPenalty());
    }
    long[] solveMillis = {0};
    DecompositionResult result = LagrangianDecomposition.solve(pool, couplingRows, settings, iteration -> {
      solveMillis[0] += iteration.millis();
      String master = Double.isNaN(iteration.masterValue())
          ? "(probe for primal recovery)" : "master %,.0f".formatted(iteration.masterValue());
      progress.line("    iteration %2d: dual %,.0f  best dual %,.0f  %s  heuristic cuts %d  (%s)".formatted(
          iteration.index(), iteration.dualValue(), iteration.bestDual(), master, iteration.heuristicCuts(),
          Progress.duration(iteration.millis())));
    });
    progress.line("    primal %,.2f  dual bound %,.2f  gap %.4f %%".formatted(
        result.primalObjective(), result.dualBound(), 100 * Math.max(0, result.gap())));
    progress.line("    " + result.summary());

    Broadcast<Map<String, Integer>> choice = jsc.broadcast(new LinkedHashMap<>(result.choice()));
    RunConfig.ReviewConfig reviewConfig = config.review();
    Broadcast<Map<String, String>> why = jsc.broadcast(new java.util.HashMap<>(overrides.reasons()));
    Broadcast<Map<String, Review.History>> histories =
        jsc.broadcast(ReviewList.uncertainHistories(planState, reviewConfig));
    JavaRDD<Planned> evaluated = pool.states()
        .flatMap(state -> plan(state, choice.value(), reviewConfig, why.value(), histories.value()).iterator())
        .cache();
    ReviewList.Cut review = ReviewList.cut(evaluated, reviewConfig);
    JavaRDD<Planned> planned = review.planned();
    Map<String, MarketFigures> figures = new TreeMap<>(planned
        .mapToPair(p -> new Tuple2<>(p.market, p.figures))
        .reduceByKey(MarketFigures::plus)
        .collectAsMap());
    evaluated.unpersist();
    JavaRDD<Row> rowsRdd = planned.flatMap(p -> recommendationRows(p, planWeek, runId).iterator());
    Dataset<Row> recommendations = spark.createDataFrame(rowsRdd, RECOMMENDATIONS);
    long solves = articles * result.iterations().size();
    if (pooledArticles > 0) {
      progress.line("    shared stock: %,d pooled articles, %,d exact solves, %.1f ms mean per solve".formatted(
          pooledArticles, pool.pooledSolves(), pool.pooledSolveMillis() / Math.max(1, pool.pooledSolves())));
    }
    return new Result(recommendations, result, couplingRows, Set.copyOf(keptRelative), figures, articles,
        solveMillis[0], solves, pooledArticles, pool.pooledSolves(), pool.pooledSolveMillis(), overrideWarnings,
        review.summary());
  }

  /**
   * Article solves per second: on one thread over a sample of the problems, and on Spark for all
   * of them (one full evaluation without coupling).
   *
   * @param localSolves problems solved on the driver's thread
   * @param localSeconds their wall time
   * @param sparkSolves problems solved on the executors
   * @param sparkSeconds their wall time
   */
  public record SolveThroughput(long localSolves, double localSeconds, long sparkSolves, double sparkSeconds) {
    public double localPerSecond() {
      return localSolves / localSeconds;
    }

    public double sparkPerSecond() {
      return sparkSolves / sparkSeconds;
    }
  }

  /** Measures article solves per second on this machine (for the benchmark job). */
  public static SolveThroughput measureSolves(SparkSession spark, Dataset<Row> forecasts, Dataset<Row> planState,
      RunConfig config, LocalDate planWeek, int sample) {
    JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
    ProblemAssembler assembler = new ProblemAssembler(planWeek, config, Overrides.none());
    JavaRDD<ArticleProblem> problems =
        assembler.assemble(forecasts, planState, Math.max(2, jsc.defaultParallelism() * 4)).cache();
    long count = problems.count();
    List<ArticleProblem> local = problems.take(sample);
    ArticleSolver solver = new ArticleSolver();
    for (int i = 0; i < Math.min(500, local.size()); i++) {
      solver.solve(local.get(i), CouplingWeights.none(local.get(i).weeks())); // warm-up
    }
    long start = System.nanoTime();
    for (ArticleProblem p : local) {
      solver.solve(p, CouplingWeights.none(p.weeks()));
    }
    double localSeconds = (System.nanoTime() - start) / 1e9;
    start = System.nanoTime();
    long solved = problems.mapPartitions(it -> {
      ArticleSolver s = new ArticleSolver();
      long n = 0;
      while (it.hasNext()) {
        ArticleProblem p = it.next();
        s.solve(p, CouplingWeights.none(p.weeks()));
        n++;
      }
      return List.of(n).iterator();
    }).reduce(Long::sum);
    double sparkSeconds = (System.nanoTime() - start) / 1e9;
    problems.unpersist(false);
    return new SolveThroughput(local.size(), localSeconds, solved, sparkSeconds);
  }

  /**
   * Per market: the markdown spend of keeping the live discounts, and of the plan without targets
   * (an article sharing stock across markets solved jointly).
   */
  private static Map<String, double[]> spendRange(JavaRDD<List<ArticleProblem>> groups) {
    return new TreeMap<>(groups.mapPartitionsToPair(it -> {
      ArticleSolver solver = new ArticleSolver();
      PooledArticleSolver pooledSolver = new PooledArticleSolver();
      List<Tuple2<String, double[]>> out = new ArrayList<>();
      while (it.hasNext()) {
        List<ArticleProblem> group = it.next();
        List<PathSummary> live;
        List<PathSummary> free;
        if (group.size() == 1) {
          ArticleProblem p = group.get(0);
          live = List.of(ArticleSolver.summarize(p, liveLevels(p)));
          free = List.of(solver.solve(p, CouplingWeights.none(p.weeks())));
        } else {
          PooledArticleProblem p = ProblemAssembler.pooled(group);
          live = PooledArticleSolver.evaluate(p, p.markets().stream().map(m -> liveLevels(m)).toArray(int[][]::new));
          free = pooledSolver.solve(p, p.markets().stream().map(m -> CouplingWeights.none(m.weeks()))
              .toArray(CouplingWeights[]::new));
        }
        for (int m = 0; m < group.size(); m++) {
          out.add(new Tuple2<>(group.get(m).market(), new double[] {
              Arrays.stream(live.get(m).discountValue()).sum(), Arrays.stream(free.get(m).discountValue()).sum()}));
        }
      }
      return out.iterator();
    }).reduceByKey((a, b) -> new double[] {a[0] + b[0], a[1] + b[1]}).collectAsMap());
  }

  /** Every week at the live discount. */
  private static int[] liveLevels(ArticleProblem p) {
    int[] keep = new int[p.weeks()];
    Arrays.fill(keep, p.rules().liveLevel());
    return keep;
  }

  /** One article's chosen path, evaluated week by week, its review verdict and whether it is flagged. */
  record Planned(String articleId, String market, ArticleProblem problem, PathOutcome outcome,
      Review.Verdict verdict, boolean review, MarketFigures figures) implements Serializable {

    /** This plan, flagged or not by the run's stake threshold. */
    Planned flagged(double threshold) {
      boolean flag = verdict.flagged(threshold);
      return new Planned(articleId, market, problem, outcome, verdict, flag, figures.withReview(flag ? 1 : 0));
    }

    String reason() {
      return review ? verdict.text() : null;
    }
  }

  /** The chosen path of every market of {@code state}, evaluated, with its review verdict. */
  static List<Planned> plan(Subproblem state, Map<String, Integer> choice, RunConfig.ReviewConfig review,
      Map<String, String> overrideReasons, Map<String, Review.History> histories) {
    Integer index = choice.get(state.key());
    if (index == null) {
      throw new IllegalStateException("the decomposition chose no path for " + state.key());
    }
    int[][] levels = state.levels(index);
    List<ArticleProblem> markets = state.markets();
    if (!state.pooled()) {
      ArticleProblem p = markets.get(0);
      return List.of(plan(p, ArticleSolver.evaluate(p, levels[0]), ArticleSolver.evaluate(p, liveLevels(p)), review,
          overrideReasons.get(p.key()), histories.get(p.key())));
    }
    PooledArticleProblem p = state.pooledProblem();
    double[] shares = state.shares(index);
    List<PathOutcome> outcomes = PooledOutcomes.evaluate(p, levels, shares);
    List<PathOutcome> baselines = PooledOutcomes.evaluate(p, markets.stream().map(m -> liveLevels(m))
        .toArray(int[][]::new));
    List<Planned> planned = new ArrayList<>(markets.size());
    for (int m = 0; m < markets.size(); m++) {
      // a pooled market sells from its allocated share: the review's stock figures are the share's
      ArticleProblem onShare = markets.get(m).withStartStock(shares[m]);
      planned.add(plan(onShare, outcomes.get(m), baselines.get(m), review, overrideReasons.get(onShare.key()),
          histories.get(onShare.key())));
    }
    return planned;
  }

  /**
   * One market's plan: its outcome against keeping the live discount, and its review verdict (not
   * yet flagged: that needs the whole run's stakes, see {@link Planned#flagged}).
   *
   * @param history its sales history when thin or volatile (see {@link ReviewList#uncertainHistories}),
   *     else null
   */
  static Planned plan(ArticleProblem p, PathOutcome outcome, PathOutcome baseline, RunConfig.ReviewConfig review,
      String overrideReason, Review.History history) {
    Review.Verdict verdict = Review.of(p, outcome, baseline, review, history, overrideReason);
    double units = Arrays.stream(outcome.units()).sum();
    double gross = 0;
    double discountValue = 0;
    for (int t = 0; t < p.weeks(); t++) {
      gross += p.blackPrice()[t] * outcome.units()[t];
      discountValue += outcome.discount()[t] * p.blackPrice()[t] * outcome.units()[t];
    }
    double start = p.startStock();
    double end = outcome.stockEnd()[p.weeks() - 1];
    MarketFigures figures = new MarketFigures(1, units, gross, discountValue,
        Arrays.stream(outcome.revenue()).sum(), outcome.totalProfit(), baseline.totalProfit(),
        Double.isFinite(start) ? start : 0, Double.isFinite(start) ? end : 0, 0,
        Double.isFinite(start) ? Arrays.stream(p.incoming()).sum() : 0);
    return new Planned(p.articleId(), p.market(), p, outcome, verdict, false, figures);
  }

  static List<Row> recommendationRows(Planned planned, LocalDate planWeek, String runId) {
    ArticleProblem p = planned.problem;
    PathOutcome o = planned.outcome;
    boolean finite = Double.isFinite(p.startStock());
    List<Row> rows = new ArrayList<>(p.weeks());
    for (int t = 0; t < p.weeks(); t++) {
      rows.add(RowFactory.create(
          p.articleId(), p.market(), planWeek.plusWeeks(t), o.discount()[t], p.blackPrice()[t], o.price()[t],
          o.units()[t], o.returns()[t], o.revenue()[t], o.profit()[t],
          finite ? o.stockStart()[t] : null, finite ? o.stockEnd()[t] : null,
          p.rules().locked()[t] >= 0, planned.review, planned.reason(), runId));
    }
    return rows;
  }
}
