package io.pricepath.jobs.config;

import java.io.Serializable;
import java.time.LocalDate;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The resolved, immutable configuration of one run. Built once on the driver by {@link
 * ConfigLoader}; executors receive the parts they need, never the loader.
 *
 * @param sparkMaster Spark master for embedded runs (ignored under spark-submit)
 * @param shufflePartitions spark.sql.shuffle.partitions
 * @param planWeek first week to price, or null for the Monday after the last week of history
 * @param horizon weeks to price
 * @param ladder allowed discounts, ascending
 * @param rules business rules of every article
 * @param coupling company-wide targets
 * @param budgetVsUnconstrained markdown budget per market relative to the unconstrained plan's
 *     markdown spend, 0 for none
 * @param forecast model training settings
 * @param optimizer decomposition settings
 * @param quarantineDir folder for rows set aside by validation, or null (bad rows are fatal)
 * @param review when a recommendation is flagged for review
 * @param stock which markets share one stock pool per article
 * @param lockLeaseSeconds how long a run folder's lock outlives its run's last heartbeat before another
 *     run may take it over (a run on this host whose process is gone loses it at once)
 * @param couplingSeasonStart first week of the season (a Monday): the horizon-wide company-wide
 *     targets then hold over the season to date plus the horizon; null = over the horizon alone
 */
public record RunConfig(
    String sparkMaster,
    int shufflePartitions,
    LocalDate planWeek,
    int horizon,
    double[] ladder,
    RuleConfig rules,
    List<CouplingConfig> coupling,
    double budgetVsUnconstrained,
    ForecastConfig forecast,
    OptimizerConfig optimizer,
    String quarantineDir,
    ReviewConfig review,
    ModelConfig models,
    Map<String, RuleConfig> categoryRules,
    String overridesFile,
    String overridesBase,
    StockConfig stock,
    LocalDate couplingSeasonStart,
    int lockLeaseSeconds) implements Serializable {

  /** Default of {@code lock-lease-seconds}. */
  public static final int LOCK_LEASE_SECONDS = 600;

  /** A configuration with the default lock lease. */
  public RunConfig(String sparkMaster, int shufflePartitions, LocalDate planWeek, int horizon, double[] ladder,
      RuleConfig rules, List<CouplingConfig> coupling, double budgetVsUnconstrained, ForecastConfig forecast,
      OptimizerConfig optimizer, String quarantineDir, ReviewConfig review, ModelConfig models,
      Map<String, RuleConfig> categoryRules, String overridesFile, String overridesBase, StockConfig stock,
      LocalDate couplingSeasonStart) {
    this(sparkMaster, shufflePartitions, planWeek, horizon, ladder, rules, coupling, budgetVsUnconstrained, forecast,
        optimizer, quarantineDir, review, models, categoryRules, overridesFile, overridesBase, stock,
        couplingSeasonStart, LOCK_LEASE_SECONDS);
  }

  /** A configuration whose targets hold over the horizon alone. */
  public RunConfig(String sparkMaster, int shufflePartitions, LocalDate planWeek, int horizon, double[] ladder,
      RuleConfig rules, List<CouplingConfig> coupling, double budgetVsUnconstrained, ForecastConfig forecast,
      OptimizerConfig optimizer, String quarantineDir, ReviewConfig review, ModelConfig models,
      Map<String, RuleConfig> categoryRules, String overridesFile, String overridesBase, StockConfig stock) {
    this(sparkMaster, shufflePartitions, planWeek, horizon, ladder, rules, coupling, budgetVsUnconstrained, forecast,
        optimizer, quarantineDir, review, models, categoryRules, overridesFile, overridesBase, stock, null);
  }

  /** A configuration where every (article, market) has its own stock. */
  public RunConfig(String sparkMaster, int shufflePartitions, LocalDate planWeek, int horizon, double[] ladder,
      RuleConfig rules, List<CouplingConfig> coupling, double budgetVsUnconstrained, ForecastConfig forecast,
      OptimizerConfig optimizer, String quarantineDir, ReviewConfig review, ModelConfig models,
      Map<String, RuleConfig> categoryRules, String overridesFile, String overridesBase) {
    this(sparkMaster, shufflePartitions, planWeek, horizon, ladder, rules, coupling, budgetVsUnconstrained, forecast,
        optimizer, quarantineDir, review, models, categoryRules, overridesFile, overridesBase, StockConfig.SEPARATE);
  }

  public RunConfig {
    Objects.requireNonNull(sparkMaster, "sparkMaster");
    if (lockLeaseSeconds < 10) {
      throw new ConfigException("lock-lease-seconds", lockLeaseSeconds,
          "must be at least 10 (a run renews its lock every quarter of it)");
    }
    Objects.requireNonNull(stock, "stock");
    if (couplingSeasonStart != null && couplingSeasonStart.getDayOfWeek() != java.time.DayOfWeek.MONDAY) {
      throw new ConfigException("coupling-season-start", couplingSeasonStart, "must be a Monday (weeks are named by it)");
    }
    if (shufflePartitions < 1) {
      throw new ConfigException("spark.shuffle-partitions", shufflePartitions, "must be >= 1");
    }
    if (horizon < 1 || horizon > 104) {
      throw new ConfigException("plan.horizon", horizon, "must be between 1 and 104 weeks");
    }
    if (ladder.length < 1) {
      throw new ConfigException("plan.ladder", "[]", "needs at least one discount level");
    }
    for (int k = 0; k < ladder.length; k++) {
      if (!(ladder[k] >= 0 && ladder[k] < 1)) {
        throw new ConfigException("plan.ladder", Arrays.toString(ladder), "discounts must be in [0, 1)");
      }
      if (k > 0 && !(ladder[k] > ladder[k - 1])) {
        throw new ConfigException("plan.ladder", Arrays.toString(ladder), "must be strictly ascending");
      }
    }
    if (!(budgetVsUnconstrained >= 0)) {
      throw new ConfigException("markdown-budget-vs-unconstrained", budgetVsUnconstrained, "must be >= 0");
    }
    coupling = List.copyOf(coupling);
    categoryRules = Map.copyOf(categoryRules);
    for (CouplingConfig row : coupling) {
      if (row.week() >= horizon) {
        throw new ConfigException("coupling.week", row.week(),
            "is a 0-based week of the horizon and must be < plan.horizon (%d)".formatted(horizon));
      }
    }
  }

  /** Business rules applied to every article. */
  public record RuleConfig(
      boolean markdownOnly, int maxStepsPerWeek, int maxChanges, double minDiscount, double maxDiscount,
      int noTouchWeeksAfterLaunch)
      implements Serializable {
    public RuleConfig {
      if (maxStepsPerWeek < 1) {
        throw new ConfigException("rules.max-steps-per-week", maxStepsPerWeek, "must be >= 1");
      }
      if (maxChanges < 0) {
        throw new ConfigException("rules.max-changes", maxChanges, "must be >= 0");
      }
      if (noTouchWeeksAfterLaunch < 0) {
        throw new ConfigException("rules.no-touch-weeks-after-launch", noTouchWeeksAfterLaunch, "must be >= 0");
      }
      if (!(minDiscount >= 0 && minDiscount <= maxDiscount && maxDiscount < 1)) {
        throw new ConfigException(
            "rules.min-discount/max-discount", minDiscount + "/" + maxDiscount, "need 0 <= min <= max < 1");
      }
    }
  }

  /**
   * Which markets draw on one stock pool per article ({@code stock.*}).
   *
   * @param sharedAcrossMarkets false: every (article, market) has its own stock
   * @param pools groups of markets sharing one pool each; empty = every market in one pool. A
   *     market in no group keeps its own stock. Used only when {@code sharedAcrossMarkets}.
   */
  public record StockConfig(boolean sharedAcrossMarkets, List<List<String>> pools) implements Serializable {
    /** Every (article, market) has its own stock. */
    public static final StockConfig SEPARATE = new StockConfig(false, List.of());

    public StockConfig {
      pools = pools.stream().map(List::copyOf).toList();
      java.util.Set<String> seen = new java.util.HashSet<>();
      for (List<String> pool : pools) {
        if (pool.size() < 2) {
          throw new ConfigException("stock.pools", pool, "a pool needs at least two markets, e.g. [[DE, AT, CH]]");
        }
        for (String market : pool) {
          if (!seen.add(market)) {
            throw new ConfigException("stock.pools", pools, "market %s is in two pools (or twice in one)".formatted(market));
          }
        }
      }
    }

    /**
     * The pool {@code market} draws on, named by its markets ({@code DE+AT+CH}; {@code *} for all
     * markets), or null when the market keeps its own stock.
     */
    public String poolOf(String market) {
      if (!sharedAcrossMarkets) {
        return null;
      }
      if (pools.isEmpty()) {
        return "*";
      }
      for (List<String> pool : pools) {
        if (pool.contains(market)) {
          return String.join("+", pool);
        }
      }
      return null;
    }
  }

  /** One company-wide target; {@code market} null = one row per market. */
  public record CouplingConfig(String kind, double target, String market, String category, int week, double penalty)
      implements Serializable {
    /** A hard target (or soft at the run's penalty when optimizer.on-missed-targets = soft). */
    public CouplingConfig(String kind, double target, String market, String category, int week) {
      this(kind, target, market, category, week, Double.NaN);
    }

    public static final List<String> KINDS =
        List.of("discount-rate-max", "discount-rate-min", "markdown-budget", "revenue-min", "sell-through-min");

    public CouplingConfig {
      if (!KINDS.contains(kind)) {
        throw new ConfigException("coupling.kind", kind, "must be one of " + KINDS);
      }
      if (!Double.isFinite(target)) {
        throw new ConfigException("coupling.target", target, "must be a finite number");
      }
      boolean share = kind.startsWith("discount-rate") || kind.equals("sell-through-min");
      if (share && (target < 0 || target > 1)) {
        throw new ConfigException("coupling.target", target, "a %s target is a fraction in [0, 1], e.g. 0.15".formatted(kind));
      }
      if ((kind.equals("markdown-budget") || kind.equals("revenue-min")) && target < 0) {
        throw new ConfigException("coupling.target", target, "a %s target is an amount >= 0".formatted(kind));
      }
      if (!Double.isNaN(penalty) && !(penalty > 0 && Double.isFinite(penalty))) {
        throw new ConfigException("coupling.penalty", penalty, "must be a finite amount > 0 per unit of violation");
      }
      if (week < -1) {
        throw new ConfigException("coupling.week", week, "is a 0-based week of the horizon, or absent for the whole horizon");
      }
    }
  }

  /** Model training settings. */
  public record ForecastConfig(
      int trainingWeeks, int originEvery, int validationWeeks, int rounds, int maxDepth, double eta, long seed,
      int workers, String boosterTraining, int trackerTimeout, String model,
      TransformerConfig transformer) implements Serializable {
    public ForecastConfig {
      if (!List.of("trees", "transformer").contains(model)) {
        throw new ConfigException("forecast.model", model, "must be trees or transformer");
      }
      if (trainingWeeks < 1) {
        throw new ConfigException("forecast.training-weeks", trainingWeeks, "must be >= 1");
      }
      if (originEvery < 1 || originEvery > trainingWeeks) {
        throw new ConfigException("forecast.origin-every", originEvery, "must be between 1 and forecast.training-weeks");
      }
      if (validationWeeks < 1) {
        throw new ConfigException("forecast.validation-weeks", validationWeeks, "must be >= 1");
      }
      if (rounds < 1) {
        throw new ConfigException("forecast.rounds", rounds, "must be >= 1");
      }
      if (maxDepth < 1 || maxDepth > 20) {
        throw new ConfigException("forecast.max-depth", maxDepth, "must be between 1 and 20");
      }
      if (!(eta > 0 && eta <= 1)) {
        throw new ConfigException("forecast.eta", eta, "must be in (0, 1]");
      }
      if (workers < 0) {
        throw new ConfigException("forecast.workers", workers, "must be >= 0 (0 = one per Spark core)");
      }
      if (!List.of("auto", "driver", "spark").contains(boosterTraining)) {
        throw new ConfigException("forecast.booster-training", boosterTraining, "must be auto, driver or spark");
      }
      if (trackerTimeout < 1) {
        throw new ConfigException("forecast.tracker-timeout", trackerTimeout, "must be >= 1 (seconds)");
      }
    }
  }

  /** The transformer forecaster's sizes and training (forecast.transformer). */
  public record TransformerConfig(
      int weeks, int width, int heads, int layers, int epochs, int patience, int batchSeries,
      double learningRate, double responsePrior, int threads, String device) implements Serializable {
    public TransformerConfig {
      if (weeks < 1 || weeks > 52) {
        throw new ConfigException("forecast.transformer.weeks", weeks, "must be between 1 and 52");
      }
      if (heads < 1) {
        throw new ConfigException("forecast.transformer.heads", heads, "must be >= 1");
      }
      if (width < heads || width % heads != 0) {
        throw new ConfigException("forecast.transformer.width", width, "must be a multiple of forecast.transformer.heads");
      }
      if (layers < 1) {
        throw new ConfigException("forecast.transformer.layers", layers, "must be >= 1");
      }
      if (epochs < 1) {
        throw new ConfigException("forecast.transformer.epochs", epochs, "must be >= 1");
      }
      if (patience < 0) {
        throw new ConfigException("forecast.transformer.patience", patience, "must be >= 0");
      }
      if (batchSeries < 1) {
        throw new ConfigException("forecast.transformer.batch-series", batchSeries, "must be >= 1");
      }
      if (!(learningRate > 0 && learningRate < 1)) {
        throw new ConfigException("forecast.transformer.learning-rate", learningRate, "must be in (0, 1)");
      }
      if (!(responsePrior >= 0)) {
        throw new ConfigException("forecast.transformer.response-prior", responsePrior, "must be >= 0 (0 = none)");
      }
      if (threads < 0) {
        throw new ConfigException("forecast.transformer.threads", threads, "must be >= 0 (0 = one per core)");
      }
      if (!List.of("auto", "cpu", "gpu").contains(device)) {
        throw new ConfigException("forecast.transformer.device", device, "must be auto, cpu or gpu");
      }
    }
  }

  /** Decomposition settings. */
  public record OptimizerConfig(int maxIterations, double gapTolerance, int heuristicCuts, String onMissedTargets,
      double softPenalty) implements Serializable {
    public OptimizerConfig {
      if (!onMissedTargets.equals("fail") && !onMissedTargets.equals("soft")) {
        throw new ConfigException("optimizer.on-missed-targets", onMissedTargets, "must be fail or soft");
      }
      if (!(softPenalty > 0) || !Double.isFinite(softPenalty)) {
        throw new ConfigException("optimizer.soft-penalty", softPenalty, "must be a finite amount > 0 per unit");
      }
      if (maxIterations < 1) {
        throw new ConfigException("optimizer.max-iterations", maxIterations, "must be >= 1");
      }
      if (!(gapTolerance >= 0)) {
        throw new ConfigException("optimizer.gap-tolerance", gapTolerance, "must be >= 0");
      }
      if (heuristicCuts < 0) {
        throw new ConfigException("optimizer.heuristic-cuts", heuristicCuts, "must be >= 0");
      }
    }
  }

  /**
   * When models are retrained, where versions are kept and how a new one is approved.
   *
   * @param retrainEveryWeeks retrain when the approved set is this many weeks old (by plan week)
   * @param forceRetrain retrain on every run
   * @param registryUri registry folder, or null for {@code registry} beside the run folder
   * @param tolerance relative WAPE a new set may lose against the approved one
   * @param baselines backtest baselines a new set must beat
   * @param backtestOrigins origins of the candidate's backtest
   * @param backtestEvery weeks between them
   * @param backtestHorizon weeks forecast from each
   */
  public record ModelConfig(int retrainEveryWeeks, boolean forceRetrain, String registryUri, double tolerance,
      List<String> baselines, int backtestOrigins, int backtestEvery, int backtestHorizon) implements Serializable {
    /** The backtest's baseline models a candidate can be required to beat. */
    public static final List<String> BASELINES = List.of("recent_mean", "loglog_elasticity");

    public ModelConfig {
      baselines = List.copyOf(baselines);
      for (String baseline : baselines) {
        if (!BASELINES.contains(baseline)) {
          throw new ConfigException("approval.baselines", baseline, "must be among " + BASELINES);
        }
      }
      if (retrainEveryWeeks < 1) {
        throw new ConfigException("retrain.every-weeks", retrainEveryWeeks, "must be >= 1");
      }
      if (!(tolerance >= 0)) {
        throw new ConfigException("approval.tolerance", tolerance, "must be >= 0 (0.02 = 2 %)");
      }
      if (backtestOrigins < 1) {
        throw new ConfigException("approval.backtest-origins", backtestOrigins, "must be >= 1");
      }
      if (backtestEvery < 1) {
        throw new ConfigException("approval.backtest-every", backtestEvery, "must be >= 1");
      }
      if (backtestHorizon < 1) {
        throw new ConfigException("approval.backtest-horizon", backtestHorizon, "must be >= 1");
      }
    }
  }

  /**
   * When a recommendation is flagged for a pricing manager's review (see {@code
   * io.pricepath.jobs.optimize.Review}).
   *
   * @param deepDiscount a plan reaching this discount is a deep markdown
   * @param stockLeftShare more than this share of the stock left after the horizon puts stock at risk
   * @param thinHistoryWeeks fewer weeks of sales than this make a forecast uncertain (new articles)
   * @param volatileCv weekly sales varying by this times their mean make a forecast uncertain
   * @param uncertainError the share of an uncertain forecast's expected revenue it can miss
   * @param stakeCoverage the flagged plans hold at least this share of all the money at stake
   */
  public record ReviewConfig(double deepDiscount, double stockLeftShare, int thinHistoryWeeks,
      double volatileCv, double uncertainError, double stakeCoverage) implements Serializable {
    public ReviewConfig {
      if (thinHistoryWeeks < 0) {
        throw new ConfigException("review.thin-history-weeks", thinHistoryWeeks, "must be >= 0");
      }
      if (!(volatileCv > 0)) {
        throw new ConfigException("review.volatile-cv", volatileCv, "must be above 0");
      }
      if (!(uncertainError >= 0 && uncertainError <= 1)) {
        throw new ConfigException("review.uncertain-error", uncertainError, "must be between 0 and 1");
      }
      if (!(stakeCoverage > 0 && stakeCoverage <= 1)) {
        throw new ConfigException("review.stake-coverage", stakeCoverage,
            "must be above 0 and at most 1 (1 flags every plan with a reason)");
      }
    }
  }
}
