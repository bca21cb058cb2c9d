package io.pricepath.jobs.weekly;

import static org.apache.spark.sql.functions.col;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.typesafe.config.ConfigFactory;
import io.pricepath.contract.Columns;
import io.pricepath.contract.ContractTables;
import io.pricepath.jobs.config.ConfigLoader;
import io.pricepath.jobs.config.RunConfig;
import io.pricepath.jobs.optimize.HeldPlans;
import io.pricepath.jobs.optimize.MarkdownOptimization;
import io.pricepath.jobs.optimize.Overrides;
import io.pricepath.jobs.optimize.SeasonToDate;
import io.pricepath.jobs.steps.Fingerprints;
import io.pricepath.jobs.steps.Manifest;
import io.pricepath.jobs.steps.Progress;
import io.pricepath.jobs.steps.StepRunner;
import java.io.IOException;
import java.io.PrintStream;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;

/**
 * The daily run for new articles: prices the (article, market) pairs on sale at a weekly run's
 * plan week that the weekly run did not price — they appeared in the data since — with the model
 * set that served the week and the week's config, the week's plans of every other article held
 * fixed in the company-wide targets ({@link HeldPlans}). It writes its own run folder, step by step
 * as the weekly run does (validate → plan-state → forecast → optimize → export, each committed
 * atomically and reused by a rerun); the weekly run's folder is only read. Its outputs have the
 * weekly run's layouts and disjoint keys, so the two folders' tables append to one another.
 */
public final class DailyRun {
  static final List<String> STEPS = List.of("validate", "plan-state", "forecast", "optimize", "export");

  private DailyRun() {}

  /**
   * What to run.
   *
   * @param data dataset root, now holding the new articles
   * @param weekly the week's run folder (done)
   * @param out this daily run's folder
   */
  public record Request(String data, String weekly, String out) {}

  /** What the daily run takes from the week's run, read from its manifest. */
  record Week(Path folder, String runId, LocalDate planWeek, RunConfig config, String configJson,
      String registry, String modelSet, JsonNode models, String planStateFingerprint, String optimizeFingerprint,
      HeldPlans held) {

    static Week read(FileSystem fs, Path folder) throws IOException {
      if (!fs.exists(new Path(folder, Manifest.FILE))) {
        throw new IllegalArgumentException(("Cannot run the daily run on %s: it holds no run (no %s); pass --weekly "
            + "with the folder of the week's pricepath run").formatted(folder, Manifest.FILE));
      }
      JsonNode root = Manifest.open(fs, folder).root();
      if ("daily".equals(root.path("kind").asText())) {
        throw new IllegalArgumentException(("Cannot run the daily run on %s: it is a daily run (of %s); pass --weekly "
            + "with the week's run folder").formatted(folder, root.path("weekly").path("folder").asText()));
      }
      String status = root.path("status").asText("unknown");
      if (!status.equals("done")) {
        throw new IllegalArgumentException(("Cannot run the daily run on %s: the weekly run is not done (status: %s); "
            + "finish it first by running its command again").formatted(folder, status));
      }
      String configJson = root.path("config").toString();
      // keys added since the weekly run was written take their defaults
      RunConfig config = ConfigLoader.toRunConfig(
          ConfigFactory.parseString(configJson).withFallback(ConfigLoader.merged(null, List.of())));
      String runId = root.path("run_id").asText();
      JsonNode steps = root.path("steps");
      return new Week(folder, runId, LocalDate.parse(root.path("plan_week").asText()), config, configJson,
          root.path("models").path("registry").asText(), root.path("models").path("serving").path("version").asText(),
          root.path("models"), steps.path("plan-state").path("fingerprint").asText(),
          steps.path("optimize").path("fingerprint").asText(),
          HeldPlans.fromManifest(runId, root.path("optimizer"), folder.toString()));
    }
  }

  /** Runs the daily job and returns its summary; its manifest says running, done or failed. */
  public static RunSummary run(SparkSession spark, Request request, PrintStream console) throws IOException {
    var hadoop = spark.sparkContext().hadoopConfiguration();
    Path weeklyFolder = new Path(request.weekly());
    FileSystem weeklyFs = weeklyFolder.getFileSystem(hadoop);
    Week week = Week.read(weeklyFs, weeklyFolder);
    Path out = new Path(request.out());
    FileSystem fs = out.getFileSystem(hadoop);
    String weeklyUri = weeklyFs.makeQualified(weeklyFolder).toString();
    for (Path p = fs.makeQualified(out); p != null; p = p.getParent()) {
      if (p.toString().equals(weeklyUri)) {
        throw new IllegalArgumentException(("Cannot write the daily run into %s: it is the week's run folder or "
            + "inside it, which the daily run leaves untouched; pass another --out, e.g. beside it")
            .formatted(request.out()));
      }
    }
    return RunSteps.underLock(fs, out, "the daily run", week.config().lockLeaseSeconds(), console, root -> {
      root.put("kind", "daily");
      root.remove(List.of("optimizer", "millis"));
      ObjectNode weekly = root.putObject("weekly");
      weekly.put("folder", request.weekly());
      weekly.put("run_id", week.runId());
    }, manifest -> runSteps(spark, request, week, console, fs, out, manifest));
  }

  private static RunSummary runSteps(SparkSession spark, Request request, Week week, PrintStream console,
      FileSystem fs, Path out, Manifest manifest) throws IOException {
    long start = System.nanoTime();
    RunConfig config = week.config();
    Progress progress = new Progress(console, spark, 10_000);
    var hadoop = spark.sparkContext().hadoopConfiguration();
    progress.line("pricepath daily: articles new since run %s (plan week %s) in %s → %s".formatted(
        week.runId(), week.planWeek(), request.data(), request.out()));
    String dataFp = RunSteps.dataset(manifest, request.data(), hadoop,
        "pass --data with the dataset root the week's run read, now with the new articles");
    ObjectNode root = manifest.root();
    root.set("config", Manifest.json().readTree(week.configJson()));
    LocalDate planWeek = week.planWeek();
    String runId = planWeek + "-daily-" + Fingerprints.of(dataFp, week.runId()).substring(0, 8);
    root.put("plan_week", planWeek.toString());
    root.put("run_id", runId);
    root.set("models", week.models());
    manifest.save();
    StepRunner steps = new StepRunner(fs, out, manifest, progress, STEPS.size());
    List<StepRunner.Outcome> outcomes = new ArrayList<>();

    // 1. validate the dataset with the new articles (bad rows set aside into this run's folder)
    String quarantine = config.quarantineDir() == null ? null : new Path(out, "quarantine").toString();
    RunSteps.Done validate = RunSteps.validate(spark, steps, request.data(), dataFp, quarantine, progress);
    outcomes.add(validate.outcome());
    String dataRoot = quarantine == null ? request.data() : new Path(out, Stages.CLEAN).toString();
    ContractTables tables = Stages.read(spark, dataRoot);

    // 2. the article-markets on sale at the plan week that the week's run did not price
    String stateFp = Fingerprints.of("daily-plan-state", WeeklyRun.VERSION, validate.fingerprint(),
        planWeek.toString(), "" + config.horizon(), week.planStateFingerprint());
    StepRunner.Outcome state = steps.run("plan-state", stateFp, List.of(Stages.PLAN_STATE), ctx -> {
      var priced = spark.read().parquet(new Path(week.folder(), Stages.PLAN_STATE).toString())
          .select(col(Columns.ARTICLE_ID).as("_priced_article"), col(Columns.MARKET).as("_priced_market"));
      var onSale = Stages.planState(tables, planWeek, config.horizon());
      onSale.join(priced, onSale.col(Columns.ARTICLE_ID).equalTo(priced.col("_priced_article"))
              .and(onSale.col(Columns.MARKET).equalTo(priced.col("_priced_market"))), "left_anti")
          .write().mode(SaveMode.Overwrite).parquet(ctx.staging(Stages.PLAN_STATE));
      ObjectNode result = JsonNodeFactory.instance.objectNode();
      result.put("article_markets", spark.read().parquet(ctx.staging(Stages.PLAN_STATE)).count());
      return result;
    });
    outcomes.add(state);
    long fresh = state.result().path("article_markets").asLong();
    if (fresh == 0) {
      progress.line("    nothing new: every article-market on sale at %s was priced by run %s".formatted(
          planWeek, week.runId()));
      return finish(steps, manifest, RunSummary.partial(outcomes, elapsed(start)));
    }
    progress.line("    %,d new article-markets; model set %s and the targets of run %s".formatted(fresh,
        week.modelSet().substring(0, Math.min(8, week.modelSet().length())), week.runId()));

    // 3. their forecast grid with the model set that served the week
    RunSteps.Done forecast = RunSteps.forecast(spark, steps, tables, out, planWeek, config, week.modelSet(),
        week.registry(), stateFp);
    outcomes.add(forecast.outcome());

    // 4. their plans, against what the week's plans left of every target
    String optimizeFp = RunSteps.optimizeFingerprint(config, forecast.fingerprint(), stateFp, runId,
        Overrides.none(), week.optimizeFingerprint());
    StepRunner.Outcome optimize = steps.run("optimize", optimizeFp, List.of(Stages.RECOMMENDATIONS), ctx -> {
      var forecasts = Stages.readForecasts(spark, new Path(out, Stages.FORECASTS).toString());
      var newState = spark.read().parquet(new Path(out, Stages.PLAN_STATE).toString());
      MarkdownOptimization.Result result = MarkdownOptimization.run(spark, forecasts, newState, config, planWeek,
          runId, Overrides.none(), progress, SeasonToDate.none(), week.held());
      result.recommendations().write().mode(SaveMode.Overwrite).partitionBy(Columns.MARKET)
          .parquet(ctx.staging(Stages.RECOMMENDATIONS));
      return WeeklyRun.optimizerJson(result);
    });
    outcomes.add(optimize);
    root.set("optimizer", optimize.result().path("decomposition"));
    manifest.save();

    // 5. the manager CSV of the new article-markets
    outcomes.add(RunSteps.export(spark, steps, fs, out, planWeek, config.horizon(), optimizeFp, optimize.result(),
        root.get("models"), runId).outcome());
    return finish(steps, manifest, RunSummary.of(outcomes, optimize.result(), root.get("models"), elapsed(start),
        new Path(out, Stages.EXPORT + "/" + ManagerExport.FILE_NAME).toString()));
  }

  private static RunSummary finish(StepRunner steps, Manifest manifest, RunSummary summary) throws IOException {
    steps.clearStaging();
    manifest.root().put("status", "done");
    manifest.root().put("millis", summary.millis());
    manifest.save();
    return summary;
  }

  private static long elapsed(long start) {
    return (System.nanoTime() - start) / 1_000_000;
  }
}
