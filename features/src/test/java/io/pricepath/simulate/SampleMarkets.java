package io.pricepath.simulate;

import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.spark.sql.SparkSession;

/**
 * Small simulated dataset roots for tests of other modules (shared through the features
 * test-jar). Each is generated once per JVM and folder, then reused.
 */
public final class SampleMarkets {
  private SampleMarkets() {}

  /** 60 articles × 2 markets (DE, FR) × 60 history weeks from 2024-01-01, seed 7. */
  public static final SimulatorConfig SMALL = SimulatorConfig.of(60, 2, 60, 7);

  private static final Map<Path, GenerationSummary> GENERATED = new ConcurrentHashMap<>();

  /**
   * The root of {@link #SMALL} under {@code dir} ({@code dir/small}), generated on first use in
   * this JVM. Plan week: {@code SMALL.planWeek()} (2025-02-24); the truth is under {@code
   * root/truth}.
   */
  public static String small(SparkSession spark, Path dir) {
    return smallSummary(spark, dir).root();
  }

  /** What generating {@link #small} wrote (row counts, shares). */
  public static GenerationSummary smallSummary(SparkSession spark, Path dir) {
    Path root = dir.toAbsolutePath().normalize().resolve("small");
    return GENERATED.computeIfAbsent(
        root, r -> MarketSimulator.generate(spark, SMALL, r.toString()));
  }
}
