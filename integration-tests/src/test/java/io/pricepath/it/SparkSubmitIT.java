package io.pricepath.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The shaded jar under {@code spark-submit}: a separate JVM whose classpath holds Spark's jars
 * only, so everything else pricepath needs must come from the jar itself.
 */
class SparkSubmitIT {
  @TempDir Path dir;

  @Test
  void theShadedJarRunsTheWeeklyJobUnderSparkSubmit() throws Exception {
    Path jar = Path.of("..", "jobs", "target", "pricepath-jobs-0.1.0-SNAPSHOT-spark.jar").toAbsolutePath().normalize();
    assertThat(jar).as("shaded jar (built by mvn package in jobs)").exists();
    // Spark and what Spark brings, as the jobs module declares it provided: what a cluster has.
    Path provided = Path.of("..", "jobs", "target", "launcher-classpath-spark.txt");
    assertThat(provided).as("Spark classpath (built by mvn package in jobs)").exists();
    String sparkOnly = Files.readString(provided).trim();
    assertThat(sparkOnly).doesNotContain("pricepath", "xgboost", "ortools", "picocli");
    String data = dir.resolve("data").toString();
    String out = dir.resolve("run").toString();

    Result generate = submit(sparkOnly, jar, "generate", "--articles", "40", "--markets", "1", "--weeks", "40",
        "--seed", "5", "--out", data);
    assertThat(generate.code).as(generate.output).isZero();
    assertThat(generate.output).contains("generated");

    Result run = submit(sparkOnly, jar, "run", "--data", data, "--out", out, "--set", "plan.horizon=4",
        "--set", "forecast.rounds=15", "--set", "forecast.training-weeks=26", "--set", "spark.shuffle-partitions=2",
        // this tiny market tests the jar, not the model against the baselines
        "--set", "approval.baselines=[]", "--set", "approval.backtest-origins=1");
    assertThat(run.code).as(run.output).isZero();
    assertThat(run.output).contains("== pricepath weekly run ==").contains("gap");
    assertThat(Path.of(out, "recommendations")).isDirectory();
    assertThat(Path.of(out, "manifest.json")).isRegularFile();

    Result bad = submit(sparkOnly, jar, "run", "--data", dir.resolve("nothing-here").toString(), "--out", out);
    assertThat(bad.code).as(bad.output).isEqualTo(2);
    assertThat(bad.output).contains("error: Cannot").doesNotContain("\tat ");
  }

  record Result(int code, String output) {}

  Result submit(String classpath, Path jar, String... args) throws Exception {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    List<String> command = new ArrayList<>(List.of(java, "-Xmx2g"));
    command.addAll(Arrays.asList(System.getProperty("pricepath.jvm.flags", "").trim().split("\\s+")));
    command.addAll(List.of("-cp", classpath, "org.apache.spark.deploy.SparkSubmit",
        "--master", "local[2]", "--conf", "spark.ui.enabled=false", "--conf", "spark.driver.host=127.0.0.1",
        "--class", "io.pricepath.jobs.Pricepath", jar.toString()));
    command.addAll(Arrays.asList(args));
    command.removeIf(String::isEmpty);
    Path log = Files.createTempFile(dir, "submit", ".log");
    Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    if (!process.waitFor(8, TimeUnit.MINUTES)) {
      process.destroyForcibly();
      throw new AssertionError("spark-submit did not finish in 8 minutes: " + Files.readString(log));
    }
    return new Result(process.exitValue(), Files.readString(log, StandardCharsets.UTF_8));
  }
}
