package io.pricepath.jobs.optimize;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.collect_list;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.struct;
import static org.apache.spark.sql.functions.when;

import io.pricepath.contract.Columns;
import io.pricepath.contract.Weeks;
import io.pricepath.features.PlanState;
import io.pricepath.jobs.config.ConfigException;
import io.pricepath.jobs.config.RunConfig;
import io.pricepath.optimizer.article.ArticleProblem;
import io.pricepath.optimizer.article.Rules;
import io.pricepath.optimizer.pooled.PooledArticleProblem;
import java.io.Serializable;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import scala.Tuple2;

/**
 * Turns the forecast grid and the plan state into one {@link ArticleProblem} per (article,
 * market), on the executors, under the run's, the category's and the article's own rules; and
 * groups the markets of an article that share one stock pool.
 */
final class ProblemAssembler implements Serializable {
  private final LocalDate planWeek;
  private final double[] ladder;
  private final int horizon;
  private final RunConfig.RuleConfig rules;
  private final java.util.Map<String, RunConfig.RuleConfig> categoryRules;
  private final Overrides overrides;

  ProblemAssembler(LocalDate planWeek, RunConfig config, Overrides overrides) {
    this.planWeek = planWeek;
    this.ladder = config.ladder().clone();
    this.horizon = config.horizon();
    this.rules = config.rules();
    this.categoryRules = config.categoryRules();
    this.overrides = overrides;
  }

  JavaRDD<ArticleProblem> assemble(Dataset<Row> forecasts, Dataset<Row> planState, int partitions) {
    List<Column> state = new ArrayList<>(List.of(
        col(Columns.ARTICLE_ID), col(Columns.MARKET), col(Columns.CATEGORY), col(Columns.BLACK_PRICE),
        col("live_discount"), col("stock_start"), col(Columns.EXIT_WEEK), col(Columns.FIRST_WEEK)));
    List<String> present = Arrays.asList(planState.columns());
    for (int i = 0; i < ArticleRules.COLUMNS.size(); i++) {
      String name = ArticleRules.COLUMNS.get(i);
      // plan states written before the rule columns existed carry none of them
      state.add((present.contains(name) ? col(name) : lit(null)).cast(ArticleRules.TYPES.get(i)).as(name));
    }
    // plan states written before pending returns were counted carry neither column: nothing comes back
    state.add(present.contains(PlanState.RECENT_SALES) ? col(PlanState.RECENT_SALES) : lit(null).as(PlanState.RECENT_SALES));
    state.add(present.contains(PlanState.RETURN_LAGS) ? col(PlanState.RETURN_LAGS) : lit(null).as(PlanState.RETURN_LAGS));
    Dataset<Row> joined = forecasts
        .select(
            col(Columns.ARTICLE_ID), col(Columns.MARKET), col(Columns.WEEK), col(Columns.DISCOUNT),
            col(Columns.DEMAND), col(Columns.RETURN_RATE), col(Columns.RETURN_WEEKS),
            col(Columns.FULFILLMENT_COST_PER_UNIT), col(Columns.RESIDUAL_VALUE_PER_UNIT))
        .join(planState.select(state.toArray(Column[]::new)), new String[] {Columns.ARTICLE_ID, Columns.MARKET});
    // the recent sales and lags are needed once per (article, market): kept on the plan week's rows only
    Column planWeekRow = col(Columns.WEEK).equalTo(lit(planWeek));
    joined = joined
        .withColumn(PlanState.RECENT_SALES, when(planWeekRow, col(PlanState.RECENT_SALES)))
        .withColumn(PlanState.RETURN_LAGS, when(planWeekRow, col(PlanState.RETURN_LAGS)));
    // Grouped by Spark SQL (its binary rows shuffle at a fraction of the cost of Java-serialised
    // Row objects in an RDD groupByKey: the demo's 415,680 grid rows took 35 s that way).
    Column[] all = Arrays.stream(joined.columns()).map(c -> col(c)).toArray(Column[]::new);
    Column article = col(Columns.ARTICLE_ID);
    Column market = col(Columns.MARKET);
    return joined
        .repartition(partitions, article, market)
        .groupBy(article, market)
        .agg(collect_list(struct(all)).as("_rows"))
        .javaRDD()
        .map(group -> build(group.<Row>getList(2)));
  }

  /**
   * The decomposition's subproblems: with shared stock off, one per (article, market); with it
   * on, one per article and stock pool ({@link RunConfig.StockConfig#poolOf}) holding the
   * article's markets in that pool (in market order), and one per (article, market) for markets
   * that keep their own stock.
   */
  static JavaRDD<List<ArticleProblem>> group(JavaRDD<ArticleProblem> problems, RunConfig.StockConfig stock,
      int partitions) {
    if (!stock.sharedAcrossMarkets()) {
      return problems.map(List::of);
    }
    return problems
        .mapToPair(p -> {
          String pool = stock.poolOf(p.market());
          return new Tuple2<>(p.articleId() + "|" + (pool == null ? "=" + p.market() : pool), p);
        })
        .groupByKey(partitions)
        .map(group -> {
          List<ArticleProblem> markets = new ArrayList<>();
          group._2().forEach(markets::add);
          markets.sort(Comparator.comparing(ArticleProblem::market));
          return List.copyOf(markets);
        });
  }

  /**
   * An article's markets drawing on one pool: the pool holds the sum of their starting stock
   * (unlimited when any is unlimited), each market is attributed a share in proportion to its
   * expected demand at its live discount ({@link PooledArticleProblem#sharing}), and a unit left
   * in the pool is worth the share-weighted mean of the markets' residual values per unit (equal
   * weights when the pool is empty or unlimited).
   */
  static PooledArticleProblem pooled(List<ArticleProblem> markets) {
    double pool = 0;
    for (ArticleProblem p : markets) {
      pool += p.startStock();
    }
    PooledArticleProblem shared = PooledArticleProblem.sharing(markets, pool, 0);
    double weighted = 0;
    double weights = 0;
    for (ArticleProblem p : shared.markets()) {
      double w = Double.isFinite(pool) && pool > 0 ? p.startStock() : 1;
      weighted += w * p.residualValue();
      weights += w;
    }
    return new PooledArticleProblem(shared.articleId(), shared.markets(), pool, weighted / weights);
  }

  private ArticleProblem build(Iterable<Row> rows) {
    int weeks = horizon;
    int levels = ladder.length;
    double[][] demand = new double[weeks][levels];
    double[][] returnRate = new double[weeks][levels];
    double[][] returnWeeks = new double[weeks][levels];
    double[][] cost = new double[weeks][levels];
    boolean[][] seen = new boolean[weeks][levels];
    double[] blackPrice = new double[weeks];
    String articleId = null;
    String market = null;
    String category = null;
    double residual = 0;
    double live = 0;
    Double stock = null;
    LocalDate exit = null;
    LocalDate first = null;
    ArticleRules own = ArticleRules.NONE;
    List<Row> recentSales = null;
    List<Double> returnLags = null;
    int pendingAt = 15 + ArticleRules.COLUMNS.size();
    for (Row row : rows) {
      articleId = row.getString(0);
      market = row.getString(1);
      int t = Weeks.between(planWeek, Weeks.toLocalDate(row.get(2)));
      int k = level(num(row, 3));
      if (t < 0 || t >= weeks || k < 0) {
        continue; // grid rows outside this run's horizon or ladder
      }
      demand[t][k] = num(row, 4);
      returnRate[t][k] = num(row, 5);
      returnWeeks[t][k] = num(row, 6);
      cost[t][k] = num(row, 7);
      seen[t][k] = true;
      if (t == 0 && k == 0) {
        residual = num(row, 8);
      }
      category = row.getString(9);
      Arrays.fill(blackPrice, num(row, 10));
      live = row.isNullAt(11) ? 0.0 : num(row, 11);
      stock = row.isNullAt(12) ? null : num(row, 12);
      exit = row.isNullAt(13) ? null : Weeks.toLocalDate(row.get(13));
      first = row.isNullAt(14) ? null : Weeks.toLocalDate(row.get(14));
      own = ArticleRules.of(row, 15);
      if (!row.isNullAt(pendingAt)) {
        recentSales = row.getList(pendingAt);
      }
      if (!row.isNullAt(pendingAt + 1)) {
        returnLags = row.getList(pendingAt + 1);
      }
    }
    for (int t = 0; t < weeks; t++) {
      for (int k = 0; k < levels; k++) {
        if (!seen[t][k]) {
          throw new IllegalStateException(
              "Cannot optimise %s/%s: the forecast grid has no row for week %s at discount %s (re-run the forecast step)"
                  .formatted(articleId, market, planWeek.plusWeeks(t), ladder[k]));
        }
      }
    }
    double[] incoming = stock == null ? new double[weeks]
        : PendingReturns.incoming(recentSales, returnLags, ladder, k -> returnRate[0][k], weeks);
    return new ArticleProblem(articleId, market, category, blackPrice, ladder.clone(), demand, returnRate,
        returnWeeks, cost, residual, stock == null ? Double.POSITIVE_INFINITY : Math.max(0, stock),
        rules(articleId, live, exit, first, category, own, overrides.lockedFor(articleId + "|" + market)), incoming);
  }

  /**
   * The rules of one (article, market): the run's, the category's over them, the article's own
   * rule columns over both; manager overrides ({@code locks}) win over all of them week by week.
   */
  Rules rules(String articleId, double liveDiscount, LocalDate exitWeek, LocalDate firstWeek, String category,
      ArticleRules own, int[] locks) {
    RunConfig.RuleConfig rules = own.over(articleId, category != null && categoryRules.containsKey(category)
        ? categoryRules.get(category) : this.rules);
    int levels = ladder.length;
    int liveLevel = levels - 1;
    for (int k = 0; k < levels; k++) {
      if (ladder[k] >= liveDiscount - 1e-9) {
        liveLevel = k;
        break;
      }
    }
    int minLevel = 0;
    while (minLevel < levels - 1 && ladder[minLevel] < rules.minDiscount() - 1e-9) {
      minLevel++;
    }
    int maxLevel = levels - 1;
    while (maxLevel > minLevel && ladder[maxLevel] > rules.maxDiscount() + 1e-9) {
      maxLevel--;
    }
    if (rules.markdownOnly()) {
      // No price increase wins over the discount bounds: a live discount beyond them stays allowed.
      maxLevel = Math.max(maxLevel, liveLevel);
    }
    int lastSale = horizon - 1;
    if (exitWeek != null) {
      lastSale = Math.min(lastSale, Weeks.between(planWeek, exitWeek));
    }
    int[] locked = new int[horizon];
    Arrays.fill(locked, -1);
    if (own.lockedDiscount() != null) {
      int level = level(own.lockedDiscount());
      if (level < 0) {
        throw new ConfigException(
            "Cannot lock article %s: %s %s is not a discount of plan.ladder %s; use one of them or add it to the ladder"
                .formatted(articleId, Columns.RULE_LOCKED_DISCOUNT, own.lockedDiscount(), Arrays.toString(ladder)));
      }
      Arrays.fill(locked, level);
    }
    if (locks != null) {
      for (int t = 0; t < Math.min(horizon, locks.length); t++) {
        locked[t] = locks[t] >= 0 ? locks[t] : locked[t];
      }
    }
    boolean[] noTouch = new boolean[horizon];
    for (int t = 0; t < horizon; t++) {
      LocalDate week = planWeek.plusWeeks(t);
      noTouch[t] = (firstWeek != null && rules.noTouchWeeksAfterLaunch() > 0 && Weeks.between(firstWeek, week) < rules.noTouchWeeksAfterLaunch())
          || (own.noTouchUntil() != null && week.isBefore(own.noTouchUntil()));
    }
    return new Rules(
        liveLevel,
        rules.markdownOnly(),
        rules.maxStepsPerWeek(),
        rules.maxChanges(),
        minLevel,
        maxLevel,
        noTouch,
        Math.max(-1, lastSale),
        locked);
  }

  private static double num(Row row, int index) {
    return ((Number) row.get(index)).doubleValue();
  }

  int level(double discount) {
    for (int k = 0; k < ladder.length; k++) {
      if (Math.abs(ladder[k] - discount) < 1e-6) {
        return k;
      }
    }
    return -1;
  }
}
