package io.pricepath.jobs.cli;

import io.pricepath.jobs.bench.Benchmark;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code pricepath benchmark}: throughput of the forecast grid and the optimizer. */
@Command(name = "benchmark", mixinStandardHelpOptions = true,
    description = "Generate a market (50,000 articles by default), train, then measure forecast-grid rows/s per core "
        + "against the raw Booster's predictions/s per core, and optimizer article solves/s per core.")
final class BenchmarkCommand implements Callable<Integer> {
  @Option(names = "--articles", defaultValue = "50000", description = "Articles (default ${DEFAULT-VALUE}).")
  int articles;

  @Option(names = "--markets", defaultValue = "1", description = "Markets (default ${DEFAULT-VALUE}).")
  int markets;

  @Option(names = "--weeks", defaultValue = "104", description = "Weeks of history (default ${DEFAULT-VALUE}).")
  int weeks;

  @Option(names = "--out", defaultValue = "target/benchmark", description = "Work folder (default ${DEFAULT-VALUE}).")
  String out;

  @Option(names = "--scale", description = "Run the whole weekly job on the market instead (OUT/run) and print every"
      + " step's wall time, rows in and out, rows/s per core and the driver's peak heap.")
  boolean scale;

  @Option(names = "--both-families",
      description = "Also train and time the other model family (forecast.model: trees or transformer) on the same"
          + " market, and print the two grids' rows/s per core side by side.")
  boolean bothFamilies;

  @Mixin ConfigOptions options;

  @Override
  public Integer call() throws Exception {
    var request = new Benchmark.Request(articles, markets, weeks, out, options.confFile, options.overrides,
        bothFamilies);
    System.out.println(scale ? io.pricepath.jobs.bench.ScaleRun.run(request, System.out).render()
        : Benchmark.run(request, System.out).render());
    return 0;
  }
}
