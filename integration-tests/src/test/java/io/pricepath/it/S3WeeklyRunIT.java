package io.pricepath.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.pricepath.contract.SparkSessions;
import io.pricepath.forecast.registry.ModelRegistry;
import io.pricepath.forecast.registry.RegistryEntry;
import io.pricepath.jobs.cli.Cli;
import io.pricepath.simulate.MarketSimulator;
import io.pricepath.simulate.SimulatorConfig;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.PrintStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.s3a.AnonymousAWSCredentialsProvider;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * The weekly run with its dataset root, run folder and model registry in a bucket of a real S3
 * server (s3proxy), driven through the command line as a user runs it: the S3 settings come from
 * the run config's {@code spark.conf} block ({@code --conf FILE}), the credentials from the
 * environment. Steps commit by renaming out of {@code _staging/}, which s3a does by copying.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class S3WeeklyRunIT {
  static final String BUCKET = "retail";
  static final String DATA = "s3a://" + BUCKET + "/data";
  static final String OUT = "s3a://" + BUCKET + "/runs/x";
  static final String REGISTRY = "s3a://" + BUCKET + "/runs/registry";
  static final int HORIZON = 4;

  @TempDir static Path dir;
  static S3Proxy s3;
  static Path conf;
  static Result first;

  record Result(int code, String out, String err) {}

  /** What every run printed (stdout and stderr), scanned for secrets at the end. */
  static final StringBuilder CONSOLE = new StringBuilder();
  /** The credentials also as system properties, where a user might put them (the values the server takes). */
  static final List<String> SECRET_PROPERTIES = List.of("aws.accessKeyId", "aws.secretAccessKey",
      "spark.hadoop.fs.s3a.access.key", "spark.hadoop.fs.s3a.secret.key");

  @BeforeAll
  static void generateAndRun() throws Exception {
    s3 = S3Proxy.start(dir, BUCKET);
    for (String property : SECRET_PROPERTIES) {
      System.setProperty(property, System.getenv(property.toLowerCase().contains("secret") ? "AWS_SECRET_ACCESS_KEY"
          : "AWS_ACCESS_KEY_ID"));
    }
    SparkSession spark = session();
    try {
      MarketSimulator.generate(spark, SimulatorConfig.of(40, 1, 40, 5), DATA);
    } finally {
      spark.stop();
    }
    conf = dir.resolve("s3.conf");
    Files.writeString(conf, s3.runConf() + "pricepath.spark.master = \"local[2]\"\n");
    first = run("--data", DATA, "--out", OUT);
  }

  @AfterAll
  static void stop() throws Exception {
    SECRET_PROPERTIES.forEach(System::clearProperty);
    FileSystem.closeAll();
    if (s3 != null) {
      s3.close();
    }
  }

  /** A session of the test's own that reaches the server (the CLI opens and stops its own). */
  static SparkSession session() {
    SparkSession.Builder builder = SparkSessions.configure(SparkSession.builder())
        .appName("s3-weekly-run-it").master("local[2]")
        .config("spark.ui.enabled", "false")
        .config("spark.driver.host", "127.0.0.1")
        .config("spark.driver.bindAddress", "127.0.0.1")
        .config("spark.sql.shuffle.partitions", "2");
    s3.sparkConf().forEach(builder::config);
    return builder.getOrCreate();
  }

  static Result run(String... args) throws Exception {
    return run(conf, args);
  }

  static Result run(Path runConf, String... args) throws Exception {
    // no s3a file system cached by the test's own sessions: the run reaches the server by its --conf alone
    FileSystem.closeAll();
    List<String> all = new ArrayList<>(List.of("run"));
    all.addAll(List.of(args));
    all.addAll(List.of("--conf", runConf.toString(), "--set", "plan.horizon=" + HORIZON, "--set", "forecast.rounds=15",
        "--set", "forecast.training-weeks=26", "--set", "spark.shuffle-partitions=2",
        // this tiny market tests the storage, not the model against the baselines
        "--set", "approval.baselines=[]", "--set", "approval.backtest-origins=1"));
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    PrintStream stdout = System.out;
    try (PrintStream outStream = new PrintStream(out, true, StandardCharsets.UTF_8);
        PrintStream errStream = new PrintStream(err, true, StandardCharsets.UTF_8)) {
      System.setOut(outStream);
      int code = Cli.execute(all.toArray(String[]::new), outStream, errStream);
      Result result = new Result(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
      CONSOLE.append(result.out()).append(result.err());
      return result;
    } finally {
      System.setOut(stdout);
      stdout.print(out.toString(StandardCharsets.UTF_8));
    }
  }

  static FileSystem fs() throws Exception {
    return FileSystem.get(URI.create(OUT), s3.hadoop());
  }

  static JsonNode manifest() throws Exception {
    try (InputStream in = fs().open(new org.apache.hadoop.fs.Path(OUT, "manifest.json"))) {
      return new ObjectMapper().readTree(in);
    }
  }

  @Test
  @Order(1)
  void theRunWritesEveryOutputIntoTheBucketAndSaysDone() throws Exception {
    assertThat(first.code()).as(first.err()).isZero();
    JsonNode manifest = manifest();
    assertThat(manifest.path("status").asText()).isEqualTo("done");
    assertThat(manifest.path("dataset").path("root").asText()).isEqualTo(DATA);
    assertThat(manifest.path("steps")).hasSize(6);
    manifest.path("steps").forEach(step -> assertThat(step.path("status").asText()).isEqualTo("done"));
    FileSystem fs = fs();
    for (String output : List.of("recommendations", "forecasts", "plan_state", "models", "export/recommendations.csv")) {
      assertThat(fs.exists(new org.apache.hadoop.fs.Path(OUT, output))).as(output).isTrue();
    }
    assertThat(fs.exists(new org.apache.hadoop.fs.Path(OUT, "_staging"))).as("_staging cleared").isFalse();

    SparkSession spark = session();
    try {
      long pairs = spark.read().parquet(OUT + "/plan_state").count();
      assertThat(pairs).isPositive();
      assertThat(spark.read().parquet(OUT + "/recommendations").count()).isEqualTo(pairs * HORIZON);
    } finally {
      spark.stop();
    }
  }

  @Test
  @Order(2)
  void theTrainedSetIsRegisteredAndServesFromTheBucket() throws Exception {
    String serving = manifest().path("models").path("serving").path("version").asText();
    assertThat(serving).isNotBlank();
    try (ModelRegistry registry = ModelRegistry.open(REGISTRY, s3.hadoop())) {
      assertThat(registry.list()).extracting(RegistryEntry::version).containsExactly(serving);
      assertThat(registry.approved()).map(RegistryEntry::version).contains(serving);
    }
  }

  @Test
  @Order(3)
  void aRerunReusesEveryFinishedStep() throws Exception {
    Result again = run("--data", DATA, "--out", OUT);
    assertThat(again.code()).as(again.err()).isZero();
    JsonNode manifest = manifest();
    assertThat(manifest.path("status").asText()).isEqualTo("done");
    // nothing ran again: finished steps are reused, training is skipped while the approved set is fresh
    manifest.path("steps").fields().forEachRemaining(step -> assertThat(
        step.getValue().path("reused").asBoolean() || "skipped".equals(step.getValue().path("status").asText()))
        .as(step.getKey() + ": " + step.getValue()).isTrue());
    assertThat(manifest.path("steps").path("optimize").path("reused").asBoolean()).isTrue();
  }

  @Test
  @Order(4)
  void aMissingBucketIsNamedWithWhatToCheck() throws Exception {
    Result missing = run("--data", "s3a://no-such-bucket/data", "--out", OUT + "-missing");
    assertThat(missing.code()).as(missing.err()).isEqualTo(2);
    assertThat(missing.err())
        .startsWith("error: Cannot read or write s3a://no-such-bucket/data: its bucket does not exist")
        .contains("spark.hadoop.fs.s3a.endpoint").doesNotContain("\tat ");
  }

  @Test
  @Order(5)
  void deniedAccessSaysToCheckTheCredentials() throws Exception {
    // no credentials at all: the server refuses the unsigned requests (403)
    Result denied = run("--data", DATA, "--out", OUT + "-denied", "--set",
        "spark.conf.\"spark.hadoop.fs.s3a.aws.credentials.provider\"=" + AnonymousAWSCredentialsProvider.NAME);
    assertThat(denied.code()).as(denied.err()).isEqualTo(2);
    // the first path the command names is checked first, before any Spark work
    assertThat(denied.err()).startsWith("error: Cannot read or write " + DATA + ": access denied")
        .contains("AWS_ACCESS_KEY_ID").doesNotContain("\tat ");
  }

  /** Two more runs and a lease to wait out (about 45 s): with {@code mvn -B verify -Pfaults}. */
  @Test
  @Order(7)
  @org.junit.jupiter.api.Tag("faults")
  void aServerGoneInTheMiddleOfACommitFailsTheRunClearlyAndTheSameCommandThenCompletes() throws Exception {
    String outage = OUT + "-outage";
    try (TcpRelay relay = TcpRelay.to(URI.create(s3.endpoint()).getPort())) {
      // the run reaches the server through a relay the test cuts; s3a gives up after one retry, not minutes
      Path relayed = dir.resolve("s3-relayed.conf");
      Files.writeString(relayed, s3.runConf().replace(s3.endpoint(), "http://127.0.0.1:" + relay.port())
          + "pricepath.spark.master = \"local[2]\"\n"
          + "pricepath.lock-lease-seconds = 10\n"
          + "pricepath.spark.conf { \"spark.hadoop.fs.s3a.retry.limit\" = \"1\", "
          + "\"spark.hadoop.fs.s3a.attempts.maximum\" = \"1\", \"spark.hadoop.fs.s3a.retry.interval\" = \"100ms\" }\n");
      java.util.concurrent.atomic.AtomicBoolean cut = new java.util.concurrent.atomic.AtomicBoolean();
      io.pricepath.jobs.steps.CrashPoint.listen(point -> {
        if (point.equals("optimize:written") && cut.compareAndSet(false, true)) {
          try {
            relay.cut(); // the plan is solved and staged; its commit (copies on S3) meets a closed port
          } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
          }
        }
      });
      Result failed;
      try {
        failed = run(relayed, "--data", DATA, "--out", outage);
      } finally {
        io.pricepath.jobs.steps.CrashPoint.listen(null);
      }
      assertThat(cut).isTrue();
      assertThat(failed.code()).as(failed.err()).isEqualTo(1);
      assertThat(failed.err()).startsWith("error: Cannot reach the object store: ")
          .contains("run the same command again once it answers").doesNotContain("\tat ");
      assertThat(failed.err().lines().count()).as(failed.err()).isEqualTo(1);

      relay.restore();
      Thread.sleep(11_000); // the failed run could not release its lock: its lease (10 s) runs out
      Result again = run(relayed, "--data", DATA, "--out", outage);
      assertThat(again.code()).as(again.err()).isZero();
      assertThat(again.out()).contains("taking over the lock");
      JsonNode steps;
      try (InputStream in = fs().open(new org.apache.hadoop.fs.Path(outage, "manifest.json"))) {
        JsonNode manifest = new ObjectMapper().readTree(in);
        assertThat(manifest.path("status").asText()).isEqualTo("done");
        steps = manifest.path("steps");
      }
      for (String step : List.of("validate", "plan-state", "forecast")) {
        assertThat(steps.path(step).path("reused").asBoolean()).as(step + " kept from the failed run").isTrue();
      }
      assertThat(steps.path("optimize").path("reused").asBoolean()).isFalse();
      SparkSession spark = session();
      try {
        var expected = spark.read().parquet(OUT + "/recommendations").drop("run_id");
        var actual = spark.read().parquet(outage + "/recommendations").drop("run_id");
        assertThat(actual.count()).isEqualTo(expected.count()).isPositive();
        assertThat(actual.exceptAll(expected).count()).as("the plan of the run that met the outage").isZero();
      } finally {
        spark.stop();
      }
    }
  }

  @Test
  @Order(8)
  void noOutputHoldsTheCredentials() throws Exception {
    // the secret and the key id, in the environment and in four system properties while every run went
    String secret = System.getenv("AWS_SECRET_ACCESS_KEY");
    String keyId = System.getenv("AWS_ACCESS_KEY_ID");
    List<String> scanned = new ArrayList<>();
    try (var client = s3.client()) {
      for (var object : client.listObjectsV2Paginator(b -> b.bucket(BUCKET).prefix("runs/")).contents()) {
        byte[] bytes = client.getObjectAsBytes(b -> b.bucket(BUCKET).key(object.key())).asByteArray();
        String text = new String(bytes, StandardCharsets.ISO_8859_1);
        assertThat(text).as(object.key()).doesNotContain(secret).doesNotContain(keyId);
        scanned.add(object.key());
      }
    }
    assertThat(scanned).as("the run folder and the registry: manifest, models, provenance, CSV, Parquet")
        .anyMatch(k -> k.endsWith("manifest.json")).anyMatch(k -> k.endsWith(".csv"))
        .anyMatch(k -> k.contains("registry/")).hasSizeGreaterThan(20);
    assertThat(CONSOLE.toString()).as("what the runs printed").isNotEmpty().doesNotContain(secret).doesNotContain(keyId);
    System.out.printf("S3WeeklyRunIT: %d objects and %,d characters of console scanned, no credential in them%n",
        scanned.size(), CONSOLE.length());
  }
}
