package io.pricepath.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.pricepath.contract.SparkSessions;
import io.pricepath.it.SparkCluster.ExecutorLog;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.FileUtil;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * The shaded jar under {@code spark-submit} on a real standalone cluster: a Master and two Workers
 * in their own JVMs, one single-core executor JVM per Worker, the dataset in a bucket of a real S3
 * server. {@code generate}, the weekly {@code run} (XGBoost4J-Spark training on both executors,
 * one executor killed with SIGKILL while the forecast step runs) and a {@code backtest} run there;
 * the run's outputs equal those of the same command on {@code local[2]}. The driver's classpath
 * holds Spark's jars only, so everything else pricepath needs must come from the jar itself.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ClusterIT {
  static final String BUCKET = "retail";
  static final String DATA = "s3a://" + BUCKET + "/data";
  /** A small market's settings; training on the executors (XGBoost4J-Spark) on local[2] too. */
  static final List<String> SETTINGS = List.of("--set", "plan.horizon=4", "--set", "forecast.rounds=15",
      "--set", "forecast.training-weeks=26", "--set", "spark.shuffle-partitions=2",
      "--set", "forecast.workers=2", "--set", "forecast.booster-training=spark",
      "--set", "forecast.tracker-timeout=30",
      // this tiny market tests the cluster, not the model against the baselines
      "--set", "approval.baselines=[]", "--set", "approval.backtest-origins=1");
  static final Pattern PLAN_WEEK = Pattern.compile("plan week (\\d{4}-\\d{2}-\\d{2})");

  @TempDir static Path dir;
  static S3Proxy s3;
  static SparkCluster cluster;
  static Path jar;
  static String planWeek;

  @BeforeAll
  static void start() throws Exception {
    jar = Path.of("..", "jobs", "target", "pricepath-jobs-0.1.0-SNAPSHOT-spark.jar").toAbsolutePath().normalize();
    assertThat(jar).as("shaded jar (built by mvn package in jobs)").exists();
    assertThat(SparkCluster.sparkClasspath()).doesNotContain("pricepath", "xgboost", "ortools", "picocli");
    s3 = S3Proxy.start(dir, BUCKET);
    cluster = SparkCluster.start(dir.resolve("cluster"), 2, "1g");
  }

  @AfterAll
  static void stop() throws Exception {
    FileSystem.closeAll();
    if (cluster != null) {
      cluster.close();
    }
    if (s3 != null) {
      s3.close();
    }
  }

  @Test
  @Order(1)
  void generateWritesTheMarketToS3FromExecutorsInTheirOwnJvms() throws Exception {
    Set<Path> before = logs();
    Submitted generate = submit(cluster.master(), "generate", "--articles", "40", "--markets", "1",
        "--weeks", "40", "--seed", "5", "--out", DATA);
    Result result = generate.finish();
    assertThat(result.code).as(result.output).isZero();
    assertThat(result.output).contains("generated " + DATA);
    Matcher m = PLAN_WEEK.matcher(result.output);
    assertThat(m.find()).as(result.output).isTrue();
    planWeek = m.group(1);

    List<ExecutorLog> executors = newLogs(before);
    assertThat(executors).as("one executor per Worker").hasSize(2);
    assertThat(executors).allSatisfy(e -> {
      assertThat(e.pid()).as(e.stderr().toString()).isPositive()
          .isNotEqualTo(generate.process.pid()).isNotEqualTo(ProcessHandle.current().pid());
      assertThat(e.tasks()).as("tasks run by " + e.stderr()).isPositive();
    });
    assertThat(executors.get(0).pid()).isNotEqualTo(executors.get(1).pid());
  }

  @Test
  @Order(2)
  void theWeeklyRunSurvivesALostExecutorAndEqualsTheRunOnLocal2() throws Exception {
    Result local = submit("local[2]", run(dir.resolve("local/run"))).finish();
    assertThat(local.code).as(local.output).isZero();

    Set<Path> before = logs();
    Submitted onCluster = submit(cluster.master(), run(dir.resolve("cluster/run")));
    onCluster.await("[4/6] forecast ...");
    ExecutorLog killed = killAnExecutorRunningATask(before);
    Result result = onCluster.finish();
    assertThat(result.code).as(result.output).isZero();
    assertThat(result.output).contains("== pricepath weekly run ==").contains("gap");
    assertThat(ProcessHandle.of(killed.pid())).as("the killed executor").isEmpty();
    assertThat(result.output).as("the driver saw the executor go").contains("Lost executor");
    System.out.printf("ClusterIT: killed executor %d during the forecast step; driver: %s%n", killed.pid(),
        result.output.lines().filter(l -> l.contains("Lost ")).toList());
    assertThat(newLogs(before)).as("executors of the run (a replacement for the killed one)").hasSizeGreaterThanOrEqualTo(3);

    Path demand = dir.resolve("cluster/run/models/demand/provenance.json");
    assertThat(Files.readString(demand)).contains("trained on Spark (XGBoost4J-Spark, 2 workers)");
    assertSameOutputs(dir.resolve("local/run"), dir.resolve("cluster/run"));
  }

  @Test
  @Order(3)
  void aBacktestRunsOnTheClusterFromALocalCopyOfTheData() throws Exception {
    Path local = dir.resolve("data-copy");
    var s3a = new org.apache.hadoop.fs.Path(DATA);
    FileUtil.copy(s3a.getFileSystem(s3.hadoop()), s3a, local.toFile(), false, s3.hadoop());
    String origin = java.time.LocalDate.parse(planWeek).minusWeeks(4).toString();
    Path out = dir.resolve("backtest");
    List<String> args = new ArrayList<>(List.of("backtest", "--data", local.toString(), "--from", origin, "--to", origin,
        "--horizon", "4", "--out", out.toString()));
    args.addAll(SETTINGS);
    Result result = submit(cluster.master(), args.toArray(String[]::new)).finish();
    assertThat(result.code).as(result.output).isZero();
    assertThat(out.resolve("metrics.json")).isRegularFile();
    assertThat(Files.readString(out.resolve("metrics.json"))).contains("demand");

    Result bad = submit(cluster.master(), "run", "--data", dir.resolve("nothing-here").toString(),
        "--out", dir.resolve("bad").toString()).finish();
    assertThat(bad.code).as(bad.output).isEqualTo(2);
    assertThat(bad.output).contains("error: Cannot").doesNotContain("\tat ");
  }

  @Test
  @Order(4)
  void anExecutorLostDuringDistributedTrainingFailsTheStepCleanlyAndTheSameCommandResumes() throws Exception {
    Path out = dir.resolve("killed-in-training/run");
    int ui = SparkCluster.freePort();
    Submitted first = submit(cluster.master(), List.of("--conf", "spark.ui.enabled=true", "--conf", "spark.ui.port=" + ui),
        run(out));
    awaitRunningJob(first, ui, "XGBoost.scala");
    ProcessHandle executor = cluster.executors().get(0);
    executor.destroyForcibly();
    executor.onExit().get(10, TimeUnit.SECONDS);
    Result failed = first.finish();
    System.out.printf("ClusterIT: killed executor %d during distributed training: %s%n", executor.pid(),
        failed.output.lines().filter(l -> l.startsWith("error:")).toList());
    assertThat(failed.code).as(failed.output).isEqualTo(1);
    // pricepath's one-line error (Spark's and XGBoost's own log lines above it follow the cluster's log4j2 setup)
    assertThat(failed.output.lines().filter(l -> l.startsWith("error: ")).toList()).singleElement().asString()
        .startsWith("error: Cannot train the ").contains("with XGBoost4J-Spark on 2 workers")
        .endsWith("run the same command again: the steps already done are kept");

    Result resumed = submit(cluster.master(), run(out)).finish();
    assertThat(resumed.code).as(resumed.output).isZero();
    assertThat(resumed.output).contains("[1/6] validate: reused").contains("[2/6] plan-state: reused");
    assertSameOutputs(dir.resolve("local/run"), out);
  }

  /** Waits until the driver of {@code submitted} (its UI on {@code port}) runs a job named with {@code name}. */
  static void awaitRunningJob(Submitted submitted, int port, String name) throws Exception {
    Pattern id = Pattern.compile("\"id\"\\s*:\\s*\"([^\"]+)\"");
    long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(6);
    while (System.nanoTime() < deadline) {
      if (!submitted.process.isAlive()) {
        throw new AssertionError("spark-submit ended before a job '" + name + "' ran: " + Files.readString(submitted.log));
      }
      try {
        Matcher app = id.matcher(get("http://127.0.0.1:" + port + "/api/v1/applications"));
        if (app.find() && get("http://127.0.0.1:%d/api/v1/applications/%s/jobs?status=running".formatted(port,
            app.group(1))).contains(name)) {
          return;
        }
      } catch (IOException notYet) {
        // the driver's UI is not up yet
      }
      Thread.sleep(100);
    }
    throw new AssertionError("no job '" + name + "' ran within 6 minutes: " + Files.readString(submitted.log));
  }

  static String get(String url) throws IOException {
    var http = (java.net.HttpURLConnection) java.net.URI.create(url).toURL().openConnection();
    http.setConnectTimeout(500);
    http.setReadTimeout(2000);
    try (var in = http.getInputStream()) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } finally {
      http.disconnect();
    }
  }

  static String[] run(Path out) {
    List<String> args = new ArrayList<>(List.of("run", "--data", DATA, "--out", out.toString()));
    args.addAll(SETTINGS);
    return args.toArray(String[]::new);
  }

  /**
   * Kills (SIGKILL) the first executor of this run seen starting a task after the forecast step
   * began; after half a minute, the first live one; fails if none was alive within a minute.
   */
  static ExecutorLog killAnExecutorRunningATask(Set<Path> runLogsAfter) throws Exception {
    Map<Path, Long> tasks = new java.util.HashMap<>();
    newLogs(runLogsAfter).forEach(e -> tasks.put(e.stderr(), e.tasks()));
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (System.nanoTime() < deadline + TimeUnit.SECONDS.toNanos(30)) {
      for (ExecutorLog e : newLogs(runLogsAfter)) {
        boolean started = e.tasks() > tasks.getOrDefault(e.stderr(), 0L);
        var live = ProcessHandle.of(e.pid()).filter(ProcessHandle::isAlive);
        if (live.isPresent() && (started || System.nanoTime() > deadline)) {
          live.get().destroyForcibly();
          live.get().onExit().get(10, TimeUnit.SECONDS);
          return e;
        }
      }
      Thread.sleep(20);
    }
    throw new AssertionError("no executor of the run was alive to kill within a minute of the forecast step's start");
  }

  /** Recommendations: the same rows and discounts; forecasts: the same rows, numbers within float noise. */
  static void assertSameOutputs(Path expected, Path actual) {
    SparkSession spark = SparkSessions.local("cluster-it", 1, 1);
    try {
      List<String> keys = List.of("article_id", "market", "week", "discount");
      scala.collection.immutable.Seq<String> keySeq =
          scala.jdk.CollectionConverters.ListHasAsScala(keys).asScala().toSeq();
      Dataset<Row> a = spark.read().parquet(expected.resolve("recommendations").toString())
          .select("article_id", "market", "week", "discount");
      Dataset<Row> b = spark.read().parquet(actual.resolve("recommendations").toString())
          .select("article_id", "market", "week", "discount");
      assertThat(a.count()).isPositive();
      assertThat(a.exceptAll(b).count()).as("recommendations on local[2] only").isZero();
      assertThat(b.exceptAll(a).count()).as("recommendations on the cluster only").isZero();

      List<String> values = List.of("demand", "return_rate", "return_weeks", "fulfillment_cost_per_unit",
          "residual_value_per_unit");
      Dataset<Row> fa = spark.read().parquet(expected.resolve("forecasts").toString());
      Dataset<Row> fb = spark.read().parquet(actual.resolve("forecasts").toString());
      for (String v : values) {
        fb = fb.withColumnRenamed(v, "cluster_" + v);
      }
      List<Row> joined = fa.join(fb, keySeq, "full_outer").collectAsList();
      assertThat(joined).hasSize((int) fa.count()).hasSize((int) fb.count());
      for (Row r : joined) {
        for (String v : values) {
          double x = r.getDouble(r.fieldIndex(v));
          double y = r.getDouble(r.fieldIndex("cluster_" + v));
          assertThat(y).as("%s of %s", v, r).isCloseTo(x, within(1e-6 + 1e-5 * Math.abs(x)));
        }
      }
    } finally {
      spark.stop();
    }
  }

  /** The executor logs of the cluster's Workers. */
  static Set<Path> logs() throws IOException {
    Set<Path> paths = new HashSet<>();
    cluster.executorLogs().forEach(e -> paths.add(e.stderr()));
    return paths;
  }

  /** The executor logs that were not there {@code before}: those of the applications since. */
  static List<ExecutorLog> newLogs(Set<Path> before) throws IOException {
    return cluster.executorLogs().stream().filter(e -> !before.contains(e.stderr())).toList();
  }

  record Result(int code, String output) {}

  /** A {@code spark-submit} of the shaded jar running, its console going to a log file. */
  record Submitted(Process process, Path log) {
    void await(String line) throws Exception {
      long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(6);
      while (System.nanoTime() < deadline) {
        if (Files.readString(log, StandardCharsets.UTF_8).contains(line)) {
          return;
        }
        if (!process.isAlive()) {
          throw new AssertionError("spark-submit ended before '" + line + "': " + Files.readString(log));
        }
        Thread.sleep(20);
      }
      throw new AssertionError("spark-submit did not print '" + line + "' in 6 minutes: " + Files.readString(log));
    }

    Result finish() throws Exception {
      if (!process.waitFor(8, TimeUnit.MINUTES)) {
        process.destroyForcibly();
        throw new AssertionError("spark-submit did not finish in 8 minutes: " + Files.readString(log));
      }
      return new Result(process.exitValue(), Files.readString(log, StandardCharsets.UTF_8));
    }
  }

  /** {@code spark-submit} (client mode) of the shaded jar on {@code master}, with the S3 server's settings. */
  static Submitted submit(String master, String... args) throws Exception {
    return submit(master, List.of("--conf", "spark.ui.enabled=false"), args);
  }

  /** As {@link #submit(String, String...)} with more {@code spark-submit} options. */
  static Submitted submit(String master, List<String> options, String... args) throws Exception {
    List<String> command = SparkCluster.javaCommand("-Xmx2g");
    command.addAll(List.of("-cp", SparkCluster.sparkClasspath(), "org.apache.spark.deploy.SparkSubmit",
        "--master", master, "--conf", "spark.driver.host=127.0.0.1", "--conf", "spark.executor.memory=768m"));
    command.addAll(options);
    s3.sparkConf().forEach((k, v) -> command.addAll(List.of("--conf", k + "=" + v)));
    command.addAll(List.of("--class", "io.pricepath.jobs.Pricepath", jar.toString()));
    command.addAll(List.of(args));
    Path log = Files.createTempFile(dir, "submit", ".log");
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
    cluster.environment(builder);
    return new Submitted(builder.start(), log);
  }
}
