package io.pricepath.contract;

import org.apache.spark.sql.SparkSession;

/** How pricepath configures the Spark sessions it creates itself. */
public final class SparkSessions {
  private SparkSessions() {}

  /**
   * Generated classes Spark keeps compiled per JVM (its default: 100). A 160-article weekly run
   * compiles some 850 distinct query classes (Janino, then the JIT: a third of its driver's
   * time), and the next run in the same JVM (a backtest's origins, the jobs of a test suite)
   * asks for most of them again; with room for all of them, a JVM that ran four weekly runs used
   * 12 % less CPU (303 s to 268 s). Costs tens of MB of class metadata at most.
   */
  public static final int CODEGEN_CACHE_ENTRIES = 4000;

  /**
   * Settings every pricepath session uses, on a cluster too: Java 8 date types in rows, dynamic
   * partition overwrite, no legacy datetime rebasing surprises, and room for {@link
   * #CODEGEN_CACHE_ENTRIES} compiled query classes.
   */
  public static SparkSession.Builder configure(SparkSession.Builder builder) {
    return builder
        .config("spark.sql.datetime.java8API.enabled", "true")
        .config("spark.sql.sources.partitionOverwriteMode", "dynamic")
        .config("spark.sql.parquet.datetimeRebaseModeInWrite", "CORRECTED")
        .config("spark.sql.parquet.int96RebaseModeInWrite", "CORRECTED")
        .config("spark.sql.session.timeZone", "UTC")
        .config("spark.sql.codegen.cache.maxEntries", String.valueOf(CODEGEN_CACHE_ENTRIES));
  }

  /**
   * An embedded session on this machine: {@code local[cores]} ({@code cores <= 0}: all), UI
   * off, bound to 127.0.0.1. Tests use {@code local(name, 2, 4)}.
   */
  public static SparkSession local(String appName, int cores, int shufflePartitions) {
    String master = cores <= 0 ? "local[*]" : "local[" + cores + "]";
    return configure(SparkSession.builder())
        .appName(appName)
        .master(master)
        .config("spark.ui.enabled", "false")
        .config("spark.driver.host", "127.0.0.1")
        .config("spark.driver.bindAddress", "127.0.0.1")
        .config("spark.sql.shuffle.partitions", String.valueOf(shufflePartitions))
        .config("spark.sql.adaptive.enabled", "true")
        .getOrCreate();
  }
}
