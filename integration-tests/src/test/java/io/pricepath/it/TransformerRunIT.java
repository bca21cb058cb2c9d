package io.pricepath.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lag;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.pricepath.contract.SparkSessions;
import io.pricepath.forecast.model.ModelSet;
import io.pricepath.forecast.model.Target;
import io.pricepath.forecast.model.TargetModel;
import io.pricepath.forecast.registry.ModelRegistry;
import io.pricepath.jobs.config.ConfigLoader;
import io.pricepath.jobs.weekly.RunSummary;
import io.pricepath.jobs.weekly.WeeklyRun;
import io.pricepath.simulate.MarketSimulator;
import io.pricepath.simulate.SimulatorConfig;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.expressions.Window;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The transformer as a peer of the trees in the weekly run: trained in the train step, recorded
 * in the registry with its provenance, passed by the same gate, served by the forecast grid
 * (demand non-decreasing in the discount on every row); then a trees candidate is judged against
 * it like any other.
 */
class TransformerRunIT {
  @TempDir static Path dir;
  static SparkSession spark;
  static String data;

  @BeforeAll
  static void generate() {
    spark = SparkSessions.local("transformer-run-it", 2, 4);
    data = dir.resolve("data").toString();
    MarketSimulator.generate(spark, SimulatorConfig.of(160, 2, 70, 21), data);
  }

  @AfterAll
  static void stop() {
    spark.stop();
  }

  static String run(String out, String... extra) throws Exception {
    List<String> overrides = new ArrayList<>(List.of("plan.horizon=6", "approval.baselines=[]",
        "approval.backtest-origins=1", "forecast.training-weeks=40", "forecast.rounds=60",
        "forecast.transformer.epochs=4", "spark.shuffle-partitions=4",
        "optimizer.max-iterations=5"));
    overrides.addAll(List.of(extra));
    var merged = ConfigLoader.merged(null, overrides);
    var request = new WeeklyRun.Request(data, out, ConfigLoader.toRunConfig(merged),
        ConfigLoader.toJson(merged), null);
    ByteArrayOutputStream printed = new ByteArrayOutputStream();
    try (PrintStream ps = new PrintStream(printed, true, StandardCharsets.UTF_8)) {
      RunSummary summary = WeeklyRun.run(spark, request, ps);
      assertThat(summary).isNotNull();
    }
    return printed.toString(StandardCharsets.UTF_8);
  }

  static JsonNode models(String out) throws Exception {
    return new ObjectMapper().readTree(Files.readString(Path.of(out, "manifest.json"))).path("models");
  }

  @Test
  void theTransformerTrainsPassesTheGateServesMonotoneForecastsAndMeetsTheTreesAsAPeer()
      throws Exception {
    String first = dir.resolve("runs/transformer").toString();
    String printed = run(first, "forecast.model=transformer");
    JsonNode m = models(first);
    assertThat(m.path("candidate").path("status").asText()).as(m.toString()).isEqualTo("approved");
    String version = m.path("serving").path("version").asText();
    assertThat(printed).contains("transformer epoch 1/4");

    // the registry holds it with its provenance, and it loads back as it was saved
    try (ModelRegistry registry =
        ModelRegistry.open(dir.resolve("runs/registry").toString(), new Configuration())) {
      try (ModelSet set = ModelSet.load(registry.modelDir(version), new Configuration())) {
        TargetModel demand = set.get(Target.DEMAND);
        assertThat(demand.provenance().kind()).isEqualTo("transformer");
        assertThat(demand.provenance().hyperparameters())
            .containsKeys("architecture", "engine", "transformer_width", "model_family")
            .containsEntry("model_family", "transformer");
        assertThat(demand.provenance().hyperparameters().get("engine")).contains("PyTorch");
        assertThat(demand.provenance().notes()).anyMatch(n -> n.startsWith("transformer: trained"));
        assertThat(set.layout().sequence().weeks()).isEqualTo(26);
        // the return rate is the same network's second output; the other targets are trees
        TargetModel returnRate = set.get(Target.RETURN_RATE);
        assertThat(returnRate.provenance().kind()).isEqualTo("transformer");
        assertThat(returnRate.provenance().objective()).contains("binomial");
        assertThat(returnRate.provenance().hyperparameters())
            .containsEntry("transformer_outputs", "demand, return_rate");
        assertThat(returnRate.provenance().notes())
            .anyMatch(n -> n.startsWith("the return-rate output of the demand model's network"));
        assertThat(returnRate.provenance().metrics()).containsKey("holdout_return_rate_error");
        assertThat(set.get(Target.RETURN_WEEKS).provenance().kind()).isEqualTo("xgboost");
      }
    }

    // every grid row: demand non-decreasing in the discount, the transformer's version on it
    Dataset<Row> grid = spark.read().parquet(first + "/forecasts");
    assertThat(grid.select("model_version").distinct().collectAsList())
        .extracting(r -> r.getString(0)).containsExactly(version);
    Dataset<Row> steps =
        grid.withColumn("previous", lag(col("demand"), 1).over(
            Window.partitionBy("article_id", "market", "week").orderBy("discount")));
    long rows = grid.count();
    long falling = steps.filter(col("demand").lt(col("previous").minus(1e-9))).count();
    assertThat(rows).isGreaterThan(1000);
    assertThat(falling).as("grid rows where demand falls as the discount rises").isZero();
    long rising = steps.filter(col("demand").gt(col("previous").plus(1e-6))).count();
    assertThat(rising).as("the discount moves demand").isGreaterThan(rows / 4);
    // the return-rate output: a rate, one per article rather than one for all
    assertThat(grid.filter(col("return_rate").lt(0).or(col("return_rate").gt(1))).count()).isZero();
    assertThat(grid.select("return_rate").distinct().count())
        .as("distinct return rates").isGreaterThan(rows / 100);

    // the trees as the next candidate: judged against the serving transformer like any other
    String second = dir.resolve("runs/trees").toString();
    run(second, "retrain.force=true");
    JsonNode t = models(second);
    String status = t.path("candidate").path("status").asText();
    assertThat(status).as(t.toString()).isIn("approved", "rejected");
    if (status.equals("rejected")) {
      assertThat(t.path("candidate").path("reason").asText())
          .contains("the approved version " + version.substring(0, 8));
      assertThat(t.path("serving").path("version").asText()).isEqualTo(version);
    } else {
      assertThat(t.path("serving").path("version").asText())
          .isEqualTo(t.path("candidate").path("version").asText());
    }
  }
}
