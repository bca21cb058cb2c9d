package io.pricepath.jobs.cli;

import io.pricepath.simulate.GroundTruth;
import io.pricepath.simulate.PlanOutcome;
import io.pricepath.simulate.PlanTotals;
import java.util.concurrent.Callable;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code pricepath simulate}: what a price plan would realise on a generated market. */
@Command(name = "simulate", mixinStandardHelpOptions = true,
    description = "Replay a price plan (e.g. a run's recommendations/) against the true demand of a generated "
        + "market: realised units, revenue, profit and stock left.")
final class SimulateCommand implements Callable<Integer> {
  @Option(names = "--data", required = true, paramLabel = "ROOT", description = "Dataset root written by generate.")
  String data;

  @Option(names = "--plan", required = true, paramLabel = "PLAN",
      description = "Parquet folder with article_id, market, week, discount (a run's recommendations/).")
  String plan;

  @Option(names = "--seed", defaultValue = "1", description = "Seed of the demand draws (default ${DEFAULT-VALUE}).")
  long seed;

  @Option(names = "--expected", description = "Use expected demand instead of random draws.")
  boolean expected;

  @Option(names = "--out", paramLabel = "DIR", description = "Write per-week outcome rows here (Parquet).")
  String out;

  @Option(names = "--master", defaultValue = "local[*]", description = "Spark master for embedded runs.")
  String master;

  @Option(names = "--debug", description = "Print stack traces of errors.")
  boolean debug;

  @Override
  public Integer call() {
    SparkSession spark = Sessions.open("simulate", master, 8);
    try {
      Dataset<Row> planRows;
      // A plan partitioned by market: keep market names such as 0101 as the strings they are.
      spark.conf().set("spark.sql.sources.partitionColumnTypeInference.enabled", "false");
      try {
        planRows = spark.read().parquet(plan);
      } catch (Exception e) {
        throw new Cli.UserError("Cannot read plan %s: not a Parquet folder (%s); pass a run's recommendations/ folder"
            .formatted(plan, e.getMessage()));
      }
      PlanOutcome outcome = GroundTruth.load(spark, data).simulate(planRows, seed, expected);
      if (out != null) {
        outcome.rows().write().mode(SaveMode.Overwrite).parquet(out);
      }
      PlanTotals t = outcome.totals();
      System.out.println(String.join(System.lineSeparator(),
          "simulated %,d article-markets (%s demand)".formatted(t.articleMarkets(), expected ? "expected" : "drawn"),
          "  units sold %,.0f, returned %,.0f, sell-through %.1f %%".formatted(t.units(), t.returns(),
              100 * t.sellThrough()),
          "  revenue %,.0f, fulfillment %,.0f, profit %,.0f + residual value %,.0f = %,.0f".formatted(t.revenue(),
              t.fulfillmentCost(), t.profit(), t.residualValue(), t.totalProfit())));
      return 0;
    } finally {
      Sessions.close(spark);
    }
  }
}
