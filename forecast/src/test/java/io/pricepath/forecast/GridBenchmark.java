package io.pricepath.forecast;

import io.pricepath.contract.ContractTables;
import io.pricepath.contract.SparkSessions;
import io.pricepath.features.ContractFixtures;
import io.pricepath.features.PlanState;
import io.pricepath.forecast.model.ModelSet;
import io.pricepath.forecast.model.Target;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * Prints training time, holdout figures and grid throughput on a seeded fixture. Not a test:
 * run {@code main(articles, rounds, depth)} with the test classpath and Spark's JVM flags.
 */
public final class GridBenchmark {
  private GridBenchmark() {}

  public static void main(String[] args) throws Exception {
    int articles = args.length > 0 ? Integer.parseInt(args[0]) : 2000;
    int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 100;
    int depth = args.length > 2 ? Integer.parseInt(args[2]) : 6;
    SparkSession spark = SparkSessions.local("GridBenchmark", 2, 4);
    Path dir = Files.createTempDirectory("grid-benchmark");
    ContractTables tables =
        ContractFixtures.build(spark, new ContractFixtures.Spec(articles, 2, 52, true, true, true, 7L));
    LocalDate plan = ContractFixtures.START.plusWeeks(40);
    ForecastSettings settings = ForecastSettings.defaults().withTrees(rounds, depth, 0.1);
    long start = System.nanoTime();
    ModelSet models = Forecast.train(spark, tables, plan, settings, dir.resolve("models").toString());
    System.out.printf(
        "training: %d articles x 2 markets, %d rounds depth %d: %.1f s; demand %s%n",
        articles, rounds, depth, (System.nanoTime() - start) / 1e9,
        models.get(Target.DEMAND).provenance().metrics());
    Dataset<Row> state = PlanState.build(tables, plan, settings.horizon()).cache();
    System.out.printf("on sale: %d (article, market)%n", state.count());
    for (int run = 0; run < 2; run++) {
      System.out.println(
          "noop sink: "
              + Forecast.measureThroughput(spark, tables, state, plan, settings, models, null, 1_000_000));
    }
    System.out.println(
        "parquet sink: "
            + Forecast.measureThroughput(
                spark, tables, state, plan, settings, models, dir.resolve("grid").toString(),
                1_000_000));
    spark.stop();
  }
}
