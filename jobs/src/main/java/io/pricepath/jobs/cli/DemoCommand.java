package io.pricepath.jobs.cli;

import io.pricepath.jobs.config.ConfigLoader;
import io.pricepath.jobs.config.RunConfig;
import io.pricepath.jobs.weekly.RunSummary;
import io.pricepath.jobs.weekly.WeeklyRun;
import io.pricepath.simulate.MarketSimulator;
import io.pricepath.simulate.SimulatorConfig;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code pricepath demo}: generate a sample market and run the weekly job on it. */
@Command(name = "demo", mixinStandardHelpOptions = true,
    description = "Generate a sample market into OUT/data (once) and run the weekly job on it into OUT/run.")
final class DemoCommand implements Callable<Integer> {
  @Option(names = "--out", defaultValue = "demo", description = "Folder for data and run (default ${DEFAULT-VALUE}).")
  String out;

  @Mixin MarketOptions sample;

  @Mixin ConfigOptions options;

  /** The demo's own defaults, under the user's --set: a markdown budget that binds. */
  static final List<String> DEMO_DEFAULTS = List.of("markdown-budget-vs-unconstrained=0.75");

  @Override
  public Integer call() throws Exception {
    List<String> overrides = new ArrayList<>(DEMO_DEFAULTS);
    overrides.addAll(options.overrides);
    var merged = ConfigLoader.merged(options.confFile, overrides);
    RunConfig config = ConfigLoader.toRunConfig(merged);
    Path data = Path.of(out, "data");
    Path run = Path.of(out, "run");
    SimulatorConfig market = sample.config();
    Path marker = data.resolve("_GENERATED");
    String wanted = market.toString();
    SparkSession spark = Sessions.open("demo", config.sparkMaster(), config.shufflePartitions(),
        Sessions.sparkConf(merged));
    try {
      if (Files.isRegularFile(marker) && Files.readString(marker, StandardCharsets.UTF_8).equals(wanted)) {
        System.out.println("sample market already in " + data + " (" + wanted + ")");
      } else {
        System.out.printf("generating a sample market: %,d articles × %d markets × %d weeks (seed %d) …%n",
            sample.articles, sample.markets, sample.weeks, sample.seed);
        System.out.println(GenerateCommand.describe(MarketSimulator.generate(spark, market, data.toString())));
        Files.writeString(marker, wanted, StandardCharsets.UTF_8);
      }
      var request = new WeeklyRun.Request(data.toString(), run.toString(), config, ConfigLoader.toJson(merged), null);
      RunSummary summary = WeeklyRun.run(spark, request, System.out);
      System.out.println(summary.render());
      if (summary.targetsMissed()) {
        return 3;
      }
      System.out.println();
      System.out.println("outputs: " + run.resolve("recommendations") + ", " + run.resolve("forecasts") + ", "
          + run.resolve("manifest.json"));
      System.out.println("what the plan would realise on the true market: bin/pricepath simulate --data " + data
          + " --plan " + run.resolve("recommendations"));
      return 0;
    } finally {
      Sessions.close(spark);
    }
  }
}
