package io.pricepath.it;

import java.io.IOException;
import java.net.HttpURLConnection;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.hadoop.conf.Configuration;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * A real S3 server for the tests: s3proxy (the jar Maven copied to {@code target/s3proxy}) in its
 * own JVM on a free port of 127.0.0.1, keeping objects in memory ({@code transient} backend) and
 * checking AWS v2/v4 signatures against the credentials of the test JVM's environment
 * ({@code AWS_ACCESS_KEY_ID}, {@code AWS_SECRET_ACCESS_KEY}, set by the Failsafe configuration),
 * which s3a finds through the default AWS provider chain as it would in production.
 */
final class S3Proxy implements AutoCloseable {
  static final String REGION = "us-east-1";

  private final Process process;
  private final Path log;
  private final String endpoint;

  private S3Proxy(Process process, Path log, String endpoint) {
    this.process = process;
    this.log = log;
    this.endpoint = endpoint;
  }

  /** Starts s3proxy, waits until it answers (at most a minute) and creates {@code buckets}. */
  static S3Proxy start(Path dir, String... buckets) throws Exception {
    String jar = System.getProperty("pricepath.s3proxy.jar", "");
    if (jar.isBlank() || !Files.isRegularFile(Path.of(jar))) {
      throw new IllegalStateException("s3proxy jar not found (" + jar + "): run the tests through Maven (mvn verify)");
    }
    int port;
    try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      port = socket.getLocalPort();
    }
    String endpoint = "http://127.0.0.1:" + port;
    Path properties = dir.resolve("s3proxy.properties");
    Files.writeString(properties, String.join("\n",
        "s3proxy.endpoint=" + endpoint,
        "s3proxy.authorization=aws-v2-or-v4",
        "s3proxy.identity=" + env("AWS_ACCESS_KEY_ID"),
        "s3proxy.credential=" + env("AWS_SECRET_ACCESS_KEY"),
        "jclouds.provider=transient",
        "jclouds.identity=unused",
        "jclouds.credential=unused",
        ""));
    Path log = dir.resolve("s3proxy.log");
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    Process process = new ProcessBuilder(java, "-Xmx512m", "-jar", jar, "--properties", properties.toString())
        .redirectErrorStream(true).redirectOutput(log.toFile()).start();
    S3Proxy proxy = new S3Proxy(process, log, endpoint);
    try {
      proxy.awaitReady();
      try (S3Client s3 = proxy.client()) {
        for (String bucket : buckets) {
          s3.createBucket(b -> b.bucket(bucket));
        }
      }
      return proxy;
    } catch (Exception | AssertionError e) {
      proxy.close();
      throw e;
    }
  }

  private static String env(String name) {
    String value = System.getenv(name);
    if (value == null || value.isBlank()) {
      throw new IllegalStateException(name + " is not set: run the tests through Maven (the Failsafe configuration sets it)");
    }
    return value;
  }

  private void awaitReady() throws Exception {
    long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(1);
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new IllegalStateException("s3proxy exited with " + process.exitValue() + ": " + tail());
      }
      try {
        HttpURLConnection http = (HttpURLConnection) URI.create(endpoint + "/").toURL().openConnection();
        http.setConnectTimeout(500);
        http.setReadTimeout(2000);
        int code = http.getResponseCode(); // 403 without a signature: it answers
        http.disconnect();
        if (code > 0) {
          return;
        }
      } catch (IOException notYet) {
        Thread.sleep(200);
      }
    }
    throw new IllegalStateException("s3proxy did not answer on " + endpoint + " within a minute: " + tail());
  }

  /** The endpoint, {@code http://127.0.0.1:PORT}. */
  String endpoint() {
    return endpoint;
  }

  /**
   * What pricepath needs to reach this server, as Spark settings (the run config's {@code
   * spark.conf} block): endpoint, region, path-style requests, no TLS, no bulk delete (s3proxy
   * answers 501). No credentials: they come from the environment.
   */
  Map<String, String> sparkConf() {
    return Map.of(
        "spark.hadoop.fs.s3a.endpoint", endpoint,
        "spark.hadoop.fs.s3a.endpoint.region", REGION,
        "spark.hadoop.fs.s3a.path.style.access", "true",
        "spark.hadoop.fs.s3a.connection.ssl.enabled", "false",
        "spark.hadoop.fs.s3a.multiobjectdelete.enable", "false");
  }

  /** {@link #sparkConf()} as the HOCON a user writes in a {@code --conf} file. */
  String runConf() {
    List<String> lines = new ArrayList<>(List.of("pricepath.spark.conf {"));
    sparkConf().forEach((k, v) -> lines.add("  \"%s\" = \"%s\"".formatted(k, v)));
    lines.add("}");
    return String.join("\n", lines) + "\n";
  }

  /** A Hadoop configuration with {@link #sparkConf()}, for file systems opened outside Spark. */
  Configuration hadoop() {
    Configuration hadoop = new Configuration();
    sparkConf().forEach((k, v) -> hadoop.set(k.substring("spark.hadoop.".length()), v));
    return hadoop;
  }

  /** A plain SDK client of this server (for what s3a cannot do, such as creating a bucket). */
  S3Client client() {
    return S3Client.builder()
        .endpointOverride(URI.create(endpoint))
        .region(Region.of(REGION))
        .forcePathStyle(true)
        .credentialsProvider(StaticCredentialsProvider.create(
            AwsBasicCredentials.create(env("AWS_ACCESS_KEY_ID"), env("AWS_SECRET_ACCESS_KEY"))))
        .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
        .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED)
        .build();
  }

  private String tail() {
    try {
      List<String> lines = Files.readAllLines(log);
      return String.join("\n", lines.subList(Math.max(0, lines.size() - 20), lines.size()));
    } catch (IOException e) {
      return "(no log: " + e.getMessage() + ")";
    }
  }

  /** Stops the server (its objects are gone with it). */
  @Override
  public void close() throws InterruptedException {
    process.destroy();
    if (!process.waitFor(10, TimeUnit.SECONDS)) {
      process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    }
  }
}
