package io.pricepath.jobs.cli;

import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Option;

/** Options every job that reads the run configuration shares. */
final class ConfigOptions {
  @Option(names = "--conf", paramLabel = "FILE", description = "Run config (HOCON) over the defaults of conf/local.conf.")
  String confFile;

  @Option(names = "--set", paramLabel = "KEY=VALUE",
      description = "Override one config key, e.g. --set plan.horizon=8 (repeatable; wins over --conf).")
  List<String> overrides = new ArrayList<>();

  @Option(names = "--debug", description = "Print stack traces of errors.")
  boolean debug;
}
