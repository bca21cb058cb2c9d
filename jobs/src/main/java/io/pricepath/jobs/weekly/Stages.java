package io.pricepath.jobs.weekly;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.pricepath.contract.ContractTables;
import io.pricepath.contract.DatasetReader;
import io.pricepath.contract.InvalidDatasetException;
import io.pricepath.features.PlanState;
import io.pricepath.forecast.Forecast;
import io.pricepath.forecast.ForecastSettings;
import io.pricepath.forecast.model.ModelSet;
import io.pricepath.forecast.model.Target;
import io.pricepath.forecast.model.TargetModel;
import io.pricepath.jobs.config.RunConfig;
import io.pricepath.jobs.optimize.MarkdownOptimization;
import io.pricepath.jobs.steps.Manifest;
import io.pricepath.jobs.steps.Progress;
import io.pricepath.validate.DatasetValidator;
import io.pricepath.validate.ValidationOptions;
import io.pricepath.validate.ValidationReport;
import java.time.LocalDate;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;

/** The weekly run's calls into the features and forecast modules, and the run folder's names. */
final class Stages {
  static final String CLEAN = "clean";
  static final String PLAN_STATE = "plan_state";
  static final String MODELS = "models";
  static final String FORECASTS = "forecasts";
  static final String RECOMMENDATIONS = "recommendations";
  static final String EXPORT = "export";

  private Stages() {}

  /** Our own forecasts, typed as written (a market named 0101 stays "0101"). */
  static Dataset<Row> readForecasts(SparkSession spark, String path) {
    return spark.read().schema(io.pricepath.contract.OutputLayouts.FORECASTS).parquet(path);
  }

  /** Our own recommendations, typed as written. */
  static Dataset<Row> readRecommendations(SparkSession spark, String path) {
    return spark.read().schema(MarkdownOptimization.RECOMMENDATIONS).parquet(path);
  }

  /** Validates the dataset; fatal problems stop the run with the report as the message. */
  static JsonNode validate(SparkSession spark, String root, String quarantine, String cleanDir, Progress progress)
      throws Exception {
    ValidationOptions options =
        quarantine == null ? ValidationOptions.strict() : ValidationOptions.quarantineTo(quarantine);
    ValidationReport report = DatasetValidator.validate(spark, root, options);
    for (String line : report.render().split("\n")) {
      progress.line("    " + line);
    }
    if (report.hasFatal()) {
      throw new InvalidDatasetException(root, report.problems().stream()
          .filter(p -> p.isFatal())
          .map(p -> new InvalidDatasetException.Issue(
              p.table(), p.column(), p.rule(), p.count(), p.examples(), p.message()))
          .toList());
    }
    if (quarantine != null) {
      ContractTables clean = report.cleanTables();
      clean.articles().write().mode(SaveMode.Overwrite).parquet(cleanDir + "/articles");
      clean.weekly().write().mode(SaveMode.Overwrite).partitionBy("week").parquet(cleanDir + "/weekly");
      if (clean.returns().isPresent()) {
        clean.returns().get().write().mode(SaveMode.Overwrite).partitionBy("return_week")
            .parquet(cleanDir + "/returns");
      }
      if (clean.residuals().isPresent()) {
        clean.residuals().get().write().mode(SaveMode.Overwrite).parquet(cleanDir + "/residuals");
      }
    }
    return Manifest.json().readTree(report.toJson());
  }

  static ContractTables read(SparkSession spark, String root) {
    return DatasetReader.read(spark, root);
  }

  static Dataset<Row> planState(ContractTables tables, LocalDate planWeek, int horizon) {
    return PlanState.build(tables, planWeek, horizon);
  }

  static ForecastSettings settings(RunConfig config, int cores) {
    return ForecastConfigs.settings(config, cores);
  }

  /** Puts the versions and holdout metrics of a freshly trained set into {@code result}. */
  static void describe(ModelSet models, ObjectNode result, Progress progress) {
    ObjectNode versions = result.putObject("models");
    ObjectNode metrics = result.putObject("metrics");
    versions.put("set", models.version());
    for (Map.Entry<Target, TargetModel> e : models.models().entrySet()) {
      TargetModel model = e.getValue();
      String target = e.getKey().column();
      versions.put(target, model.version());
      var provenance = model.provenance();
      progress.line("    %-26s %-8s version %s, %,d training rows".formatted(target, provenance.kind(),
          model.version(), provenance.trainingRows()));
      provenance.metrics().forEach((name, value) -> metrics.put(target + "_" + name, value));
    }
  }

  static Dataset<Row> grid(SparkSession spark, ContractTables tables, Dataset<Row> planState, LocalDate planWeek,
      RunConfig config, String modelDir) {
    ForecastSettings settings = settings(config, spark.sparkContext().defaultParallelism());
    ModelSet models = ModelSet.load(modelDir, spark.sparkContext().hadoopConfiguration());
    return Forecast.grid(spark, tables, planState, planWeek, settings, models);
  }
}
