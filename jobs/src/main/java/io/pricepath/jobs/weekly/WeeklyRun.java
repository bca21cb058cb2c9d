package io.pricepath.jobs.weekly;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.max;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.pricepath.contract.Columns;
import io.pricepath.contract.ContractTables;
import io.pricepath.contract.Weeks;
import io.pricepath.jobs.config.ConfigLoader;
import io.pricepath.jobs.config.RunConfig;
import io.pricepath.jobs.optimize.MarkdownOptimization;
import io.pricepath.jobs.optimize.ReviewList;
import io.pricepath.jobs.steps.Fingerprints;
import io.pricepath.jobs.steps.Manifest;
import io.pricepath.jobs.steps.Progress;
import io.pricepath.jobs.steps.StepRunner;
import io.pricepath.optimizer.lagrangian.CouplingRow;
import io.pricepath.optimizer.lagrangian.DecompositionResult;
import java.io.IOException;
import java.io.PrintStream;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;

/**
 * The weekly markdown run: validate → plan state → train → forecast → optimize → export, each a
 * step that commits atomically and is reused by a later run with the same inputs and config.
 */
public final class WeeklyRun {
  /** Code version folded into every fingerprint: bump when a step's output would change. */
  static final String VERSION = "pricepath-0.1.0";
  static final List<String> STEPS = List.of("validate", "plan-state", "train", "forecast", "optimize", "export");

  private WeeklyRun() {}

  /**
   * What to run.
   *
   * @param data dataset root
   * @param out run folder
   * @param configJson the resolved configuration as JSON (for the manifest and fingerprints)
   * @param stopAfter stop after this step (null: run all)
   */
  public record Request(String data, String out, RunConfig config, String configJson, String stopAfter) {
    public Request {
      if (stopAfter != null && !STEPS.contains(stopAfter)) {
        throw new IllegalArgumentException(
            "Cannot stop after step %s: no such step (steps: %s)".formatted(stopAfter, String.join(", ", STEPS)));
      }
    }
  }

  /** Runs the weekly job and returns its summary; the manifest says running, done or failed. */
  public static RunSummary run(SparkSession spark, Request request, PrintStream console) throws IOException {
    Path out = new Path(request.out());
    FileSystem fs = out.getFileSystem(spark.sparkContext().hadoopConfiguration());
    return RunSteps.underLock(fs, out, "the weekly run", request.config().lockLeaseSeconds(), console,
        root -> root.remove(List.of("optimizer", "models", "forecast_metrics", "millis")),
        manifest -> runSteps(spark, request, console, fs, out, manifest));
  }

  private static RunSummary runSteps(SparkSession spark, Request request, PrintStream console, FileSystem fs,
      Path out, Manifest manifest) throws IOException {
    long start = System.nanoTime();
    RunConfig config = request.config();
    Progress progress = new Progress(console, spark, 10_000);
    var hadoop = spark.sparkContext().hadoopConfiguration();

    progress.line("pricepath run: data %s → %s".formatted(request.data(), request.out()));
    String dataFp = RunSteps.dataset(manifest, request.data(), hadoop,
        "pass --data with a dataset root, e.g. one written by pricepath generate");
    ObjectNode root = manifest.root();
    root.set("config", Manifest.json().readTree(request.configJson()));
    manifest.save();
    StepRunner steps = new StepRunner(fs, out, manifest, progress, STEPS.size());
    List<StepRunner.Outcome> outcomes = new ArrayList<>();

    // 1. validate
    String quarantine = config.quarantineDir();
    RunSteps.Done validate = RunSteps.validate(spark, steps, request.data(), dataFp, quarantine, progress);
    outcomes.add(validate.outcome());
    String validateFp = validate.fingerprint();
    String dataRoot = quarantine == null ? request.data() : new Path(out, Stages.CLEAN).toString();
    if (stop(request, "validate", outcomes, start, manifest)) {
      return RunSummary.partial(outcomes, elapsed(start));
    }

    ContractTables tables = Stages.read(spark, dataRoot);
    LocalDate planWeek = config.planWeek() != null ? config.planWeek() : nextWeek(tables);
    String runId = planWeek + "-" + Fingerprints.of(dataFp, request.configJson()).substring(0, 8);
    root.put("plan_week", planWeek.toString());
    root.put("run_id", runId);
    manifest.save();
    progress.line("    plan week %s, horizon %d weeks, ladder %s, run %s".formatted(
        planWeek, config.horizon(), Arrays.toString(config.ladder()), runId));

    // 2. plan state: what is on sale, at which price and stock
    String stateFp = Fingerprints.of("plan-state", VERSION, validateFp, planWeek.toString(), "" + config.horizon());
    outcomes.add(steps.run("plan-state", stateFp, List.of(Stages.PLAN_STATE), ctx -> {
      var state = Stages.planState(tables, planWeek, config.horizon());
      state.write().mode(SaveMode.Overwrite).parquet(ctx.staging(Stages.PLAN_STATE));
      long onSale = spark.read().parquet(ctx.staging(Stages.PLAN_STATE)).count();
      if (onSale == 0) {
        throw new IllegalArgumentException(
            ("Cannot price week %s: no article is on sale then (needs a weekly row in the 4 weeks before it, stock "
                + "left and no exit week before it); check plan.week against the history").formatted(planWeek));
      }
      ObjectNode result = JsonNodeFactory.instance.objectNode();
      result.put("article_markets", onSale);
      return result;
    }));
    if (stop(request, "plan-state", outcomes, start, manifest)) {
      return RunSummary.partial(outcomes, elapsed(start));
    }

    // 3. train a candidate when the schedule or the registry asks for it; the gate decides whether it serves
    String registryUri = ModelStage.registryUri(config, request.out());
    var approvedBefore = ModelStage.approved(registryUri, hadoop);
    String due = ModelStage.retrainReason(config, planWeek, approvedBefore, registryUri, hadoop);
    String trainFp = Fingerprints.of("train", VERSION, validateFp, planWeek.toString(), registryUri,
        Manifest.json().writeValueAsString(config.forecast()), Manifest.json().writeValueAsString(config.models()),
        "" + config.horizon(), Arrays.toString(config.ladder()));
    StepRunner.Outcome train;
    if (due == null) {
      var a = approvedBefore.get();
      train = steps.skip("train", "approved set %s (trained for %s) serves; retrain every %d weeks".formatted(
          a.shortVersion(), a.planWeek(), config.models().retrainEveryWeeks()));
    } else {
      progress.line("    training: " + due);
      train = steps.run("train", trainFp, List.of(Stages.MODELS, ModelStage.BACKTEST),
          ctx -> ModelStage.trainAndGate(spark, tables, planWeek, config, ctx.staging(Stages.MODELS),
              ctx.staging(ModelStage.BACKTEST), registryUri, due, progress));
    }
    outcomes.add(train);
    var serving = ModelStage.approved(registryUri, hadoop).orElseThrow(() -> new IllegalStateException(
        ("Cannot forecast: no approved model set in registry %s (the candidate was %s); inspect it with "
            + "pricepath models list --registry %s and approve one by hand with pricepath models approve VERSION")
            .formatted(registryUri, train.result().path("candidate").path("reason").asText("not trained"),
                registryUri)));
    String unreadable = ModelStage.unreadable(registryUri, hadoop, serving);
    if (unreadable != null) {
      throw new IllegalStateException(
          ("Cannot forecast: the serving model set %s %s, and the candidate of this run does not serve (%s); "
              + "approve a set this build trained with pricepath models approve VERSION (see pricepath models list "
              + "--registry %s)").formatted(serving.shortVersion(), unreadable,
              train.result().path("candidate").path("reason").asText("not trained"), registryUri));
    }
    root.set("models", ModelStage.describeServing(serving, registryUri, train.result()));
    root.set("forecast_metrics", Manifest.json().valueToTree(serving.metrics()));
    manifest.save();
    progress.line("    serving model set %s (trained for %s, %s)".formatted(serving.shortVersion(), serving.planWeek(),
        serving.status().label()));
    if (stop(request, "train", outcomes, start, manifest)) {
      return RunSummary.partial(outcomes, elapsed(start));
    }

    // 4. forecast grid with the serving set
    RunSteps.Done forecast = RunSteps.forecast(spark, steps, tables, out, planWeek, config, serving.version(),
        registryUri, stateFp);
    outcomes.add(forecast.outcome());
    String forecastFp = forecast.fingerprint();
    if (stop(request, "forecast", outcomes, start, manifest)) {
      return RunSummary.partial(outcomes, elapsed(start));
    }

    // 5. optimize
    var overrides = config.overridesFile() == null ? io.pricepath.jobs.optimize.Overrides.none()
        : io.pricepath.jobs.optimize.Overrides.read(config.overridesFile(), hadoop, planWeek, config.horizon(),
            config.ladder(), config.overridesBase() != null ? config.overridesBase()
                : String.valueOf(out.getParent() == null ? out : out.getParent()));
    String optimizeFp = RunSteps.optimizeFingerprint(config, forecastFp, stateFp, runId, overrides);
    StepRunner.Outcome optimize = steps.run("optimize", optimizeFp, List.of(Stages.RECOMMENDATIONS), ctx -> {
      var forecasts = Stages.readForecasts(spark, new Path(out, Stages.FORECASTS).toString());
      var state = spark.read().parquet(new Path(out, Stages.PLAN_STATE).toString());
      MarkdownOptimization.Result result =
          MarkdownOptimization.run(spark, forecasts, state, config, planWeek, runId, overrides, progress,
              io.pricepath.jobs.optimize.SeasonToDate.of(tables, config.couplingSeasonStart(), planWeek));
      result.recommendations().write().mode(SaveMode.Overwrite).partitionBy(Columns.MARKET)
          .parquet(ctx.staging(Stages.RECOMMENDATIONS));
      return optimizerJson(result);
    });
    outcomes.add(optimize);
    root.set("optimizer", optimize.result().path("decomposition"));
    manifest.save();
    if (stop(request, "optimize", outcomes, start, manifest)) {
      return RunSummary.partial(outcomes, elapsed(start));
    }

    // 6. export for pricing managers
    outcomes.add(RunSteps.export(spark, steps, fs, out, planWeek, config.horizon(), optimizeFp, optimize.result(),
        root.get("models"), runId).outcome());

    RunSummary summary = RunSummary.of(outcomes, optimize.result(), root.get("models"), elapsed(start),
        new Path(out, Stages.EXPORT + "/" + ManagerExport.FILE_NAME).toString());
    steps.clearStaging();
    root.put("status", "done");
    root.put("millis", summary.millis());
    manifest.save();
    return summary;
  }

  private static boolean stop(Request request, String step, List<StepRunner.Outcome> outcomes, long start,
      Manifest manifest) throws IOException {
    if (!step.equals(request.stopAfter())) {
      return false;
    }
    manifest.root().put("status", "stopped after " + step);
    manifest.save();
    return true;
  }

  private static long elapsed(long start) {
    return (System.nanoTime() - start) / 1_000_000;
  }

  static LocalDate nextWeek(ContractTables tables) {
    Row row = tables.weekly().agg(max(col(Columns.WEEK))).first();
    if (row.isNullAt(0)) {
      throw new IllegalArgumentException(
          "Cannot choose a plan week: weekly/ of %s has no rows (set plan.week or add history)".formatted(tables.root()));
    }
    return Weeks.toLocalDate(row.get(0)).plusWeeks(1);
  }

  static ObjectNode optimizerJson(MarkdownOptimization.Result result) {
    DecompositionResult d = result.decomposition();
    ObjectNode json = JsonNodeFactory.instance.objectNode();
    ObjectNode dec = json.putObject("decomposition");
    // JSON has no Infinity: a figure that is not finite is null, and the reason is said beside it
    putFinite(dec, "primal_objective", d.primalObjective());
    putFinite(dec, "dual_bound", d.dualBound());
    putFinite(dec, "gap", d.gap());
    if (!Double.isFinite(d.gap())) {
      dec.put("gap_undefined", d.feasible() ? "no finite bound" : "a hard target is missed: no feasible plan");
    }
    dec.put("feasible", d.feasible());
    dec.put("outcome", d.outcome().name());
    dec.put("infeasibility_proven", d.infeasibilityProven());
    dec.put("proven_optimal", d.provenOptimal());
    dec.put("penalty_paid", d.penaltyPaid());
    dec.put("iterations", d.iterations().size());
    dec.put("article_markets", result.articles());
    dec.put("article_solves", result.articleSolves());
    dec.put("solve_millis", result.solveMillis());
    dec.put("pooled_articles", result.pooledArticles());
    dec.put("pooled_solves", result.pooledSolves());
    dec.put("pooled_mean_solve_millis", result.meanPooledSolveMillis());
    ArrayNode iterations = dec.putArray("per_iteration");
    for (DecompositionResult.Iteration it : d.iterations()) {
      ObjectNode i = iterations.addObject();
      i.put("iteration", it.index());
      putFinite(i, "dual_value", it.dualValue());
      putFinite(i, "best_dual", it.bestDual());
      putFinite(i, "master_value", it.masterValue()); // NaN: no master LP solved that iteration
      i.put("heuristic_cuts", it.heuristicCuts());
      i.put("millis", it.millis());
    }
    ArrayNode rows = dec.putArray("coupling_rows");
    for (int r = 0; r < result.rows().size(); r++) {
      CouplingRow row = result.rows().get(r);
      ObjectNode node = rows.addObject();
      node.put("name", row.name());
      node.put("market", row.market());
      node.put("kind", row.kind().name());
      if (row.category() != null) {
        node.put("category", row.category());
      }
      node.put("week", row.week());
      node.put("target", row.target());
      if (row.isSoft()) {
        node.put("penalty", row.penalty());
      }
      node.put("carried", row.carried());
      node.put("relative_budget", result.relativeBudgetRows().contains(r));
      putFinite(node, "activity", d.rowActivity()[r]);
      node.put("rhs", row.rhs());
      putFinite(node, "multiplier", d.lambda()[r]);
      double slack = row.rhs() - d.rowActivity()[r];
      // Money rows: a cent of slack; the optimizer's own check is relative to the row's scale.
      node.put("met", slack >= -(1e-6 * Math.max(1, Math.abs(row.rhs())) + 0.01));
      node.put("violation", Math.max(0, -slack));
    }
    ArrayNode warnings = json.putArray("override_warnings");
    result.overrideWarnings().forEach(warnings::add);
    ReviewList.Summary r = result.review();
    ObjectNode review = json.putObject("review");
    review.put("article_markets", result.articles());
    review.put("candidates", r.candidates());
    review.put("flagged", r.flagged());
    review.put("coverage", r.coverage());
    putFinite(review, "threshold", r.threshold()); // +∞: nothing at stake
    review.put("stake_total", r.stakeTotal());
    review.put("stake_flagged", r.stakeFlagged());
    ObjectNode curve = review.putObject("plans_to_cover");
    r.plansToCover().forEach((coverage, plans) -> curve.put(String.format(Locale.ROOT, "%.2f", coverage), plans));
    ArrayNode top = review.putArray("top");
    for (ReviewList.Flagged f : r.top()) {
      ObjectNode item = top.addObject();
      item.put("article_id", f.articleId());
      item.put("market", f.market());
      item.put("stake", f.stake());
      ArrayNode reasons = item.putArray("reasons");
      f.reasons().forEach(reason -> reasons.addObject().put("reason", reason.text()).put("stake", reason.stake()));
    }
    ObjectNode markets = json.putObject("markets");
    for (Map.Entry<String, MarkdownOptimization.MarketFigures> e : result.markets().entrySet()) {
      markets.set(e.getKey(), Manifest.json().valueToTree(e.getValue()));
      ((ObjectNode) markets.get(e.getKey())).put("average_discount", e.getValue().averageDiscount());
    }
    return json;
  }

  /** Puts {@code value}, or null when it is NaN or infinite (JSON has neither). */
  static void putFinite(ObjectNode node, String key, double value) {
    if (Double.isFinite(value)) {
      node.put(key, value);
    } else {
      node.putNull(key);
    }
  }

  /** Loads the configuration the CLI was given (defaults, --conf, --set). */
  public static RunConfig config(String confFile, List<String> overrides) {
    return ConfigLoader.load(confFile, overrides);
  }
}
