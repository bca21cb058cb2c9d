package io.pricepath.jobs.cli;

import io.pricepath.simulate.SimulatorConfig;
import picocli.CommandLine.Option;

/** The size and seed of a generated sample market. */
final class MarketOptions {
  @Option(names = "--articles", defaultValue = "2000", description = "Articles (default ${DEFAULT-VALUE}).")
  int articles;

  @Option(names = "--markets", defaultValue = "2", description = "Markets (default ${DEFAULT-VALUE}).")
  int markets;

  @Option(names = "--weeks", defaultValue = "104", description = "Weeks of history (default ${DEFAULT-VALUE}).")
  int weeks;

  @Option(names = "--seed", defaultValue = "42", description = "Random seed (default ${DEFAULT-VALUE}).")
  long seed;

  SimulatorConfig config() {
    return SimulatorConfig.of(articles, markets, weeks, seed);
  }
}
