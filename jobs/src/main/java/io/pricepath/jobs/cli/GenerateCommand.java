package io.pricepath.jobs.cli;

import io.pricepath.simulate.GenerationSummary;
import io.pricepath.simulate.MarketSimulator;
import io.pricepath.simulate.SimulatorConfig;
import java.util.concurrent.Callable;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code pricepath generate}: a sample market with known ground truth. */
@Command(name = "generate", mixinStandardHelpOptions = true,
    description = "Write a sample market (data contract v1) with known ground truth: articles, weekly sales with "
        + "markdowns and sold-out weeks, returns, residual values, and truth/ for simulations.")
final class GenerateCommand implements Callable<Integer> {
  @picocli.CommandLine.Mixin MarketOptions sample;

  @Option(names = "--out", required = true, paramLabel = "ROOT", description = "Dataset root to write.")
  String out;

  @Option(names = "--master", defaultValue = "local[*]", description = "Spark master for embedded runs.")
  String master;

  @Option(names = "--debug", description = "Print stack traces of errors.")
  boolean debug;

  @Override
  public Integer call() {
    SimulatorConfig config = sample.config();
    SparkSession spark = Sessions.open("generate", master, 8);
    try {
      System.out.println(describe(MarketSimulator.generate(spark, config, out)));
      return 0;
    } finally {
      Sessions.close(spark);
    }
  }

  static String describe(GenerationSummary s) {
    return String.join(System.lineSeparator(),
        "generated %s in %.1f s".formatted(s.root(), s.elapsedMillis() / 1000.0),
        "  articles %,d, article-markets %,d, weekly rows %,d (%.1f %% sold out), return rows %,d, residual rows %,d"
            .formatted(s.articles(), s.articleMarkets(), s.weeklyRows(), 100 * s.censoredShare(), s.returnRows(),
                s.residualRows()),
        "  plan week %s: %,d article-markets on sale with stock (%.0f %%), %,d of them exit within 12 weeks"
            .formatted(s.planWeek(), s.onSaleAtPlanWeek(), 100 * s.onSaleShare(), s.exitingWithin12Weeks()));
  }
}
