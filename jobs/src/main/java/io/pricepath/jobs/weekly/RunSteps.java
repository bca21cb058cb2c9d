package io.pricepath.jobs.weekly;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.pricepath.contract.Columns;
import io.pricepath.contract.ContractTables;
import io.pricepath.forecast.registry.ModelRegistry;
import io.pricepath.jobs.config.RunConfig;
import io.pricepath.jobs.optimize.Overrides;
import io.pricepath.jobs.steps.Fingerprints;
import io.pricepath.jobs.steps.Manifest;
import io.pricepath.jobs.steps.Progress;
import io.pricepath.jobs.steps.RunLock;
import io.pricepath.jobs.steps.StepRunner;
import java.io.IOException;
import java.io.PrintStream;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Consumer;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;

/** The steps the weekly and the daily run share, each with the fingerprint that decides its reuse. */
final class RunSteps {
  /**
   * Layout of the targets the optimize step records (a daily run reads them back): a change
   * re-runs the optimize and export steps of existing run folders once.
   */
  static final String TARGETS_LAYOUT = "targets-2: week, category, penalty, carried, relative_budget";

  private RunSteps() {}

  /** A run's steps, given its manifest. */
  @FunctionalInterface
  interface Steps {
    RunSummary run(Manifest manifest) throws IOException;
  }

  /**
   * Runs {@code steps} into {@code out} holding its lock ({@link RunLock}, refused while another run
   * writes it): the manifest says running ({@code start} sets what else it says first), then done
   * or failed with the error's first line; an earlier run's steps say stale until this one reuses
   * or redoes them.
   */
  static RunSummary underLock(FileSystem fs, Path out, String what, int leaseSeconds, PrintStream console,
      Consumer<ObjectNode> start, Steps steps) throws IOException {
    fs.mkdirs(out);
    try (RunLock lock = RunLock.acquire(fs, out, what, Duration.ofSeconds(leaseSeconds), console::println)) {
      Manifest manifest = Manifest.open(fs, out);
      manifest.markStale(); // until this run reuses or redoes them
      ObjectNode root = manifest.root();
      root.put("status", "running");
      root.remove("error");
      start.accept(root);
      manifest.save();
      try {
        return steps.run(manifest);
      } catch (RuntimeException | IOException e) {
        root.put("status", "failed");
        root.put("error", String.valueOf(e.getMessage()).lines().findFirst().orElse(""));
        try {
          manifest.save();
        } catch (IOException | RuntimeException unsaved) {
          e.addSuppressed(unsaved); // the store that failed the step may refuse this too: the step's error stays the one said
        }
        throw e;
      }
    }
  }

  /**
   * The content fingerprint of dataset root {@code data}, recorded with the root in the manifest's
   * {@code dataset}.
   *
   * @throws IllegalArgumentException when there is no such folder; {@code hint} says what to pass
   */
  static String dataset(Manifest manifest, String data, org.apache.hadoop.conf.Configuration hadoop, String hint)
      throws IOException {
    Path root = new Path(data);
    if (!root.getFileSystem(hadoop).exists(root)) {
      throw new IllegalArgumentException("Cannot read dataset %s: no such folder (%s)".formatted(data, hint));
    }
    String fingerprint = Fingerprints.ofDataset(data, hadoop);
    ObjectNode dataset = manifest.root().putObject("dataset");
    dataset.put("root", data);
    dataset.put("fingerprint", fingerprint);
    return fingerprint;
  }

  /** A step's outcome and fingerprint (what the next steps' fingerprints fold in). */
  record Done(StepRunner.Outcome outcome, String fingerprint) {}

  /** Validates the dataset, setting bad rows aside into {@code clean/} when {@code quarantine} is given. */
  static Done validate(SparkSession spark, StepRunner steps, String data, String dataFp, String quarantine,
      Progress progress) throws IOException {
    String fp = Fingerprints.of("validate", WeeklyRun.VERSION, dataFp, String.valueOf(quarantine));
    List<String> outputs = quarantine == null ? List.of() : List.of(Stages.CLEAN);
    return new Done(steps.run("validate", fp, outputs,
        ctx -> Stages.validate(spark, data, quarantine, ctx.staging(Stages.CLEAN), progress)), fp);
  }

  /** The forecast grid of the run folder's plan state with model set {@code version} of the registry. */
  static Done forecast(SparkSession spark, StepRunner steps, ContractTables tables, Path out, LocalDate planWeek,
      RunConfig config, String version, String registryUri, String stateFp) throws IOException {
    String fp = Fingerprints.of("forecast", WeeklyRun.VERSION, version, stateFp);
    String modelDir;
    try (var registry = ModelRegistry.open(registryUri, spark.sparkContext().hadoopConfiguration())) {
      modelDir = registry.modelDir(version);
    }
    return new Done(steps.run("forecast", fp, List.of(Stages.FORECASTS), ctx -> {
      var state = spark.read().parquet(new Path(out, Stages.PLAN_STATE).toString());
      var grid = Stages.grid(spark, tables, state, planWeek, config, modelDir);
      grid.write().mode(SaveMode.Overwrite).partitionBy(Columns.MARKET).parquet(ctx.staging(Stages.FORECASTS));
      ObjectNode result = JsonNodeFactory.instance.objectNode();
      result.put("rows", Stages.readForecasts(spark, ctx.staging(Stages.FORECASTS)).count());
      result.put("model_set", version);
      return result;
    }), fp);
  }

  /** The optimize step's fingerprint: its inputs and every config key the plan depends on. */
  static String optimizeFingerprint(RunConfig config, String forecastFp, String stateFp, String runId,
      Overrides overrides, String... more) throws JsonProcessingException {
    var json = Manifest.json();
    List<String> parts = new ArrayList<>(List.of("optimize", WeeklyRun.VERSION, forecastFp, stateFp, runId,
        json.writeValueAsString(overrides.locked().entrySet().stream()
            .map(e -> e.getKey() + "=" + Arrays.toString(e.getValue())).sorted().toList()),
        json.writeValueAsString(config.categoryRules()), json.writeValueAsString(config.rules()),
        json.writeValueAsString(config.coupling()), "" + config.budgetVsUnconstrained(),
        json.writeValueAsString(config.optimizer()), json.writeValueAsString(config.review()),
        json.writeValueAsString(config.stock()), String.valueOf(config.couplingSeasonStart()),
        TARGETS_LAYOUT, json.writeValueAsString(new java.util.TreeMap<>(overrides.reasons()))));
    parts.addAll(Arrays.asList(more));
    return Fingerprints.of(parts.toArray(String[]::new));
  }

  /**
   * The manager CSV of the run folder's recommendations and the run's page ({@link RunReport}), which
   * shows {@code optimized} (the optimize step's figures) and {@code models} (the manifest's).
   */
  static Done export(SparkSession spark, StepRunner steps, FileSystem fs, Path out, LocalDate planWeek, int horizon,
      String optimizeFp, com.fasterxml.jackson.databind.JsonNode optimized,
      com.fasterxml.jackson.databind.JsonNode models, String runId) throws IOException {
    String fp = Fingerprints.of("export", WeeklyRun.VERSION, optimizeFp, RunReport.FILE);
    return new Done(steps.run("export", fp, List.of(Stages.EXPORT, RunReport.FILE), ctx -> {
      var recommendations = Stages.readRecommendations(spark, new Path(out, Stages.RECOMMENDATIONS).toString());
      var state = spark.read().parquet(new Path(out, Stages.PLAN_STATE).toString());
      var figures = ManagerExport.write(recommendations, state, planWeek, horizon,
          new Path(ctx.staging(Stages.EXPORT), ManagerExport.FILE_NAME), fs);
      RunReport.write(recommendations, planWeek, horizon, optimized, models, runId,
          new Path(ctx.staging(RunReport.FILE)), fs);
      return figures;
    }), fp);
  }
}
