package io.pricepath.jobs.cli;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigValue;
import io.pricepath.contract.SparkSessions;
import io.pricepath.jobs.config.ConfigException;
import java.nio.file.AccessDeniedException;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.TreeMap;
import java.util.regex.Pattern;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.s3a.UnknownStoreException;
import org.apache.spark.sql.SparkSession;

/**
 * Opens the job's Spark session: the one spark-submit prepared, or an embedded one; and the Hadoop
 * configuration of jobs that need no Spark ({@code models}).
 *
 * <p>Spark settings reach a session from the run config's {@code spark.conf} block (e.g. {@code
 * spark.hadoop.fs.s3a.endpoint} for an S3-compatible server), which wins over {@code spark-submit
 * --conf} and {@code -Dspark.…} system properties of the JVM.
 */
final class Sessions {
  /** The run config's block of Spark settings, relative to {@code pricepath.}. */
  static final String CONF_BLOCK = "spark.conf";

  /** Words that make a key name a secret: any store's keys, tokens, passwords, credentials, SAS. */
  private static final Pattern SECRET_WORD = Pattern.compile(
      "(?i)(.*(secret|passw|pwd|token|credential).*|sas|key|.*[a-z]key|private)");

  /** Last parts of a key that name how a secret is found, not the secret: a provider class, a type, a path. */
  private static final Pattern NOT_THE_SECRET = Pattern.compile(
      "(?i)provider|providers|type|class|impl|binding|enabled|file|path|location|uri|url|endpoint|mechanism|expiry"
          + "|lifetime");

  /**
   * Whether a Spark setting holds a secret of any store: one of its parts (split at {@code . - _})
   * is a key ({@code key}, {@code apikey}, {@code …accountkey}), a secret, a password, a token, a
   * credential or a SAS, unless its last part says it is a provider, a type, a file or the like
   * ({@code fs.s3a.aws.credentials.provider} is a class name).
   */
  static boolean namesSecret(String key) {
    String[] parts = key.split("[._-]");
    if (NOT_THE_SECRET.matcher(parts[parts.length - 1]).matches()) {
      return false;
    }
    for (String part : parts) {
      if (SECRET_WORD.matcher(part).matches()) {
        return true;
      }
    }
    return false;
  }

  private Sessions() {}

  static SparkSession open(String app, String master, int shufflePartitions) {
    return open(app, master, shufflePartitions, Map.of());
  }

  /** As {@link #open(String, String, int)} with {@code conf} (from {@link #sparkConf}) on top. */
  static SparkSession open(String app, String master, int shufflePartitions, Map<String, String> conf) {
    SparkSession.Builder builder = SparkSessions.configure(SparkSession.builder()).appName("pricepath " + app);
    boolean submitted = System.getProperty("spark.master") != null;
    if (!submitted) {
      builder
          .master(master)
          .config("spark.ui.enabled", "false")
          .config("spark.driver.host", "127.0.0.1")
          .config("spark.driver.bindAddress", "127.0.0.1");
    }
    builder.config("spark.sql.shuffle.partitions", String.valueOf(shufflePartitions));
    conf.forEach(builder::config);
    boolean existed = SparkSession.getDefaultSession().isDefined() || SparkSession.getActiveSession().isDefined();
    SparkSession spark = builder.getOrCreate();
    if (!existed) {
      OPENED.add(spark);
    }
    // getOrCreate joins a running default session without making it this thread's active one; Spark
    // SQL then reads its settings (java.time dates, time zone) from a bare default on this thread
    SparkSession.setActiveSession(spark);
    spark.sparkContext().setLogLevel("WARN");
    return spark;
  }

  /** Sessions {@link #open} started (not one a notebook or a test had running, which it only joined). */
  private static final java.util.Set<SparkSession> OPENED = java.util.concurrent.ConcurrentHashMap.newKeySet();

  /**
   * Stops {@code spark} when {@link #open} started it; a session that was running before (a
   * notebook's, a test's) is left running for its owner.
   */
  static void close(SparkSession spark) {
    if (OPENED.remove(spark)) {
      spark.stop();
    }
  }

  /**
   * The {@code spark.conf} block of a merged run config (see {@link
   * io.pricepath.jobs.config.ConfigLoader#merged}) as Spark settings: {@code spark.conf {
   * spark.hadoop.fs.s3a.endpoint = "…" }} or {@code --set spark.conf.spark.hadoop.fs.s3a.endpoint=…}.
   *
   * @throws ConfigException for a key that is not a Spark setting or that holds a credential
   */
  static Map<String, String> sparkConf(Config merged) {
    Map<String, String> conf = new TreeMap<>();
    if (!merged.hasPath(CONF_BLOCK)) {
      return conf;
    }
    for (Map.Entry<String, ConfigValue> e : merged.getConfig(CONF_BLOCK).entrySet()) {
      String key = e.getKey().replace("\"", "");
      if (!key.startsWith("spark.")) {
        throw new ConfigException(CONF_BLOCK + "." + key, e.getValue().unwrapped(),
            "keys of spark.conf are Spark settings and start with spark. (e.g. spark.hadoop.fs.s3a.endpoint)");
      }
      if (namesSecret(key)) {
        throw new ConfigException(("Cannot use config %s.%s: it names a secret, and secrets do not belong in the run "
            + "config, which every run copies into its manifest.json (leave them to the store's own provider: for S3 "
            + "the AWS default provider chain — AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, ~/.aws/credentials, an "
            + "instance role; for other stores their credential files or environment)").formatted(CONF_BLOCK, key));
      }
      conf.put(key, String.valueOf(e.getValue().unwrapped()));
    }
    return conf;
  }

  /**
   * What to tell the user when {@code failure} (or a cause) is an object store refusing a path:
   * a missing bucket or denied access, with the path and what to check; empty for anything else.
   */
  static Optional<String> storageProblem(Throwable failure) {
    for (Throwable c = failure; c != null; c = c.getCause() == c ? null : c.getCause()) {
      if (c instanceof UnknownStoreException missing) {
        return Optional.of(("Cannot read or write %s: its bucket does not exist at this endpoint (check the bucket "
            + "name, and spark.hadoop.fs.s3a.endpoint and .endpoint.region in the config's spark.conf)")
            .formatted(missing.getPath()));
      }
      if (c instanceof AccessDeniedException denied && String.valueOf(denied.getFile()).startsWith("s3a:")) {
        return Optional.of(("Cannot read or write %s: access denied (check the credentials the AWS provider chain "
            + "finds — AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY, AWS_PROFILE, the instance role — and what they may do "
            + "in that bucket)").formatted(denied.getFile()));
      }
    }
    return Optional.empty();
  }

  /**
   * What to tell the user when {@code failure} (or a cause) is an object store that does not answer
   * (down, or unreachable from here); empty for anything else. The run's finished steps are kept.
   */
  static Optional<String> unreachableStore(Throwable failure) {
    boolean store = false;
    Throwable network = null; // refused, reset, no answer, timed out, unknown host
    for (Throwable c = failure; c != null; c = c.getCause() == c ? null : c.getCause()) {
      String name = c.getClass().getName();
      store |= name.startsWith("org.apache.hadoop.fs.s3a.") || name.startsWith("software.amazon.awssdk.");
      if (c instanceof java.net.SocketException || c instanceof java.net.SocketTimeoutException
          || c instanceof java.net.UnknownHostException || name.endsWith("NoHttpResponseException")
          || name.endsWith("HttpChannelEOFException")) {
        network = c;
      }
    }
    if (!store || network == null) {
      return Optional.empty();
    }
    return Optional.of(("Cannot reach the object store: %s (check that it is up and that "
        + "spark.hadoop.fs.s3a.endpoint in the config's spark.conf names it); the steps the manifest marks done are "
        + "kept: run the same command again once it answers").formatted(
            String.valueOf(network.getMessage()).lines().findFirst().orElse(network.getClass().getSimpleName())));
  }

  /**
   * A Hadoop configuration for file systems opened outside a Spark session: the defaults plus the
   * {@code -Dspark.hadoop.*} system properties, as a session would have them.
   */
  static Configuration hadoop() {
    Configuration hadoop = new Configuration();
    Properties system = System.getProperties();
    for (String name : system.stringPropertyNames()) {
      if (name.startsWith("spark.hadoop.")) {
        hadoop.set(name.substring("spark.hadoop.".length()), system.getProperty(name));
      }
    }
    return hadoop;
  }
}
