package io.pricepath.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.pricepath.contract.SparkSessions;
import io.pricepath.jobs.steps.CrashPoint;
import io.pricepath.simulate.MarketSimulator;
import io.pricepath.simulate.SimulatorConfig;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Kill-anywhere: the weekly run, in its own JVM as {@code bin/pricepath run} starts it, is halted
 * (as by {@code kill -9}) at every step's every phase and at a manifest save, one crash point after
 * the other, each attempt resuming the one before. After every crash the manifest marks done only
 * steps whose outputs are all in place, the run folder holds no output of a step that is neither
 * done nor the one that was committing, and the next attempt takes over the dead run's lock. The
 * run finished at last must equal an uninterrupted run's: the same recommendations and forecasts,
 * a byte-identical manager CSV.
 *
 * <p>About 28 runs of a small market (6–8 minutes on 2 cores): runs with {@code mvn -B verify
 * -Pfaults} (.ci/run does), not in the default suite.
 */
class CrashResumeIT {
  /** Where the run is halted, in the order the run passes them. */
  static final List<String> POINTS = List.of(
      "manifest-save#1", // the first manifest of a fresh folder: only its temporary file exists
      "validate:started", "validate:written", "validate:done",
      "plan-state:started", "plan-state:written", "plan-state:committing", "plan-state:done",
      "manifest-save#3", // between removing the old manifest and renaming the new one into place
      "train:started", "train:written", "train:committing#1", "train:committing#2", "train:done",
      "forecast:started", "forecast:written", "forecast:committing", "forecast:done",
      "optimize:started", "optimize:written", "optimize:committing", "optimize:done",
      "export:started", "export:written", "export:committing", "export:done");

  /** Each step's outputs in the run folder. */
  static final Map<String, List<String>> OUTPUTS = Map.of(
      "plan-state", List.of("plan_state"),
      "train", List.of("models", "backtest"),
      "forecast", List.of("forecasts"),
      "optimize", List.of("recommendations"),
      "export", List.of("export"));

  static final ObjectMapper JSON = new ObjectMapper();

  @TempDir static Path dir;
  static SparkSession spark;
  static Path data;

  @BeforeAll
  static void generate() {
    spark = SparkSessions.local("crash-resume-it", 2, 2);
    data = dir.resolve("data");
    MarketSimulator.generate(spark, SimulatorConfig.of(40, 1, 60, 5), data.toString());
  }

  @AfterAll
  static void stop() {
    spark.stop();
  }

  @Test
  void aRunKilledAtEveryStepAndPhaseResumesToTheSameResult() throws Exception {
    Path reference = dir.resolve("reference/run");
    Attempt uninterrupted = run(reference, null);
    assertThat(uninterrupted.exit()).as(uninterrupted.output()).isZero();

    Path out = dir.resolve("crashed/run");
    List<String> covered = new ArrayList<>();
    for (String point : POINTS) {
      Attempt crashed = run(out, point);
      assertThat(crashed.exit()).as("halted at %s:%n%s", point, crashed.output()).isEqualTo(CrashPoint.EXIT_STATUS);
      assertThat(crashed.output()).contains("halting at crash point " + point);
      if (!covered.isEmpty()) {
        assertThat(crashed.output()).as("the attempt after a crash takes over the dead run's lock")
            .contains("taking over the lock").contains("its process has ended");
      }
      assertOnlyCommittedOutputs(out, point);
      covered.add(point);
    }
    Attempt last = run(out, null);
    assertThat(last.exit()).as(last.output()).isZero();
    assertThat(last.output()).contains("taking over the lock");

    assertThat(manifest(out).path("status").asText()).isEqualTo("done");
    assertThat(manifest(out).path("run_id").asText()).isEqualTo(manifest(reference).path("run_id").asText());
    assertSameRows(reference, out, "recommendations");
    assertSameRows(reference, out, "forecasts");
    assertThat(Files.readAllBytes(csv(out))).isEqualTo(Files.readAllBytes(csv(reference)));
    assertThat(out.resolve("_staging")).doesNotExist();
    assertThat(out.resolve("_lock.json")).doesNotExist();
    System.out.printf("CrashResumeIT: %d crash points covered, each resumed: %s%n", covered.size(), covered);
  }

  /**
   * After a crash at {@code point}: a step marked done has all its outputs; an output in the run
   * folder is a done step's, an earlier attempt's (stale, same fingerprint), or the committing one's.
   */
  static void assertOnlyCommittedOutputs(Path out, String point) throws IOException {
    JsonNode steps = manifest(out).path("steps");
    for (Map.Entry<String, List<String>> e : OUTPUTS.entrySet()) {
      String status = steps.path(e.getKey()).path("status").asText("absent");
      for (String output : e.getValue()) {
        if (status.equals("done")) {
          assertThat(out.resolve(output)).as("after %s: output %s of done step %s", point, output, e.getKey())
              .exists();
        } else if (Files.exists(out.resolve(output))) {
          assertThat(status.equals("stale") || point.startsWith(e.getKey() + ":committing"))
              .as("after %s: %s lies in the run folder while step %s is %s", point, output, e.getKey(), status)
              .isTrue();
        }
      }
    }
  }

  static JsonNode manifest(Path out) throws IOException {
    Path file = out.resolve("manifest.json");
    Path temp = out.resolve(".manifest.json.tmp");
    return JSON.readTree(Files.readString(Files.exists(file) ? file : temp));
  }

  static Path csv(Path out) throws IOException {
    try (var files = Files.list(out.resolve("export"))) {
      return files.filter(f -> f.toString().endsWith(".csv")).findFirst().orElseThrow();
    }
  }

  static void assertSameRows(Path reference, Path out, String table) {
    Dataset<Row> expected = spark.read().parquet(reference.resolve(table).toString());
    Dataset<Row> actual = spark.read().parquet(out.resolve(table).toString());
    assertThat(actual.count()).as(table).isEqualTo(expected.count()).isPositive();
    assertThat(actual.exceptAll(expected).count()).as(table + " rows not in the uninterrupted run's").isZero();
    assertThat(expected.exceptAll(actual).count()).as(table + " rows missing").isZero();
  }

  record Attempt(int exit, String output) {}

  /** {@code pricepath run} on the market into {@code out} in its own JVM, halted at {@code crashAt}. */
  static Attempt run(Path out, String crashAt) throws Exception {
    List<String> command = SparkCluster.javaCommand("-Xmx1g");
    if (crashAt != null) {
      command.add("-D" + CrashPoint.PROPERTY + "=" + crashAt);
    }
    command.addAll(List.of("-cp", System.getProperty("java.class.path"), "io.pricepath.jobs.Pricepath", "run",
        "--data", data.toString(), "--out", out.toString()));
    for (String set : List.of("plan.horizon=4", "forecast.rounds=20", "forecast.training-weeks=30",
        "approval.baselines=[]", "approval.backtest-origins=1", "retrain.force=true", "spark.shuffle-partitions=2")) {
      command.addAll(List.of("--set", set));
    }
    Path log = Files.createTempFile(dir, "attempt", ".log");
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
    builder.environment().put("SPARK_LOCAL_IP", "127.0.0.1");
    Process process = builder.start();
    if (!process.waitFor(5, TimeUnit.MINUTES)) {
      process.destroyForcibly();
      throw new AssertionError("the run did not end in 5 minutes: " + Files.readString(log));
    }
    return new Attempt(process.exitValue(), Files.readString(log, StandardCharsets.UTF_8));
  }
}
