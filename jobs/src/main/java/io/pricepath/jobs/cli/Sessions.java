package io.pricepath.jobs.cli;

import io.pricepath.contract.SparkSessions;
import org.apache.spark.sql.SparkSession;

/** Opens the job's Spark session: the one spark-submit prepared, or an embedded one. */
final class Sessions {
  private Sessions() {}

  static SparkSession open(String app, String master, int shufflePartitions) {
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
    SparkSession spark = builder.getOrCreate();
    spark.sparkContext().setLogLevel("WARN");
    return spark;
  }
}
