package io.pricepath.jobs.cli;

import io.pricepath.forecast.registry.ModelRegistry;
import io.pricepath.forecast.registry.RegistryEntry;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code pricepath models}: inspect the model registry and decide by hand. */
@Command(name = "models", mixinStandardHelpOptions = true,
    description = "Inspect the model registry (versions, backtest metrics, status) and approve or reject by hand.",
    subcommands = {
      ModelsCommand.ListVersions.class,
      ModelsCommand.Show.class,
      ModelsCommand.Approve.class,
      ModelsCommand.Reject.class
    })
final class ModelsCommand implements Runnable {
  @picocli.CommandLine.Spec picocli.CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  static ModelRegistry open(String uri) {
    // -Dspark.hadoop.fs.s3a.* settings apply here as they do to a run
    return ModelRegistry.open(uri, Sessions.hadoop());
  }

  /** Options every models command takes. */
  static class RegistryOption {
    @Option(names = "--registry", required = true, paramLabel = "URI",
        description = "Registry folder (a run's default: a \"registry\" folder beside the run folder).")
    String registry;

    @Option(names = "--debug", description = "Print stack traces of errors.")
    boolean debug;
  }

  @Command(name = "list", mixinStandardHelpOptions = true, description = "Every version, newest first.")
  static final class ListVersions extends RegistryOption implements Callable<Integer> {
    @Override
    public Integer call() {
      try (ModelRegistry r = open(registry)) {
        System.out.println(r.render());
      }
      return 0;
    }
  }

  @Command(name = "show", mixinStandardHelpOptions = true, description = "One version: targets, provenance, metrics, history.")
  static final class Show extends RegistryOption implements Callable<Integer> {
    @Parameters(paramLabel = "VERSION", description = "Version or a unique prefix.")
    String version;

    @Override
    public Integer call() {
      try (ModelRegistry r = open(registry)) {
        System.out.println(r.show(version).render());
      }
      return 0;
    }
  }

  @Command(name = "approve", mixinStandardHelpOptions = true,
      description = "Approve a version by hand: it serves the next runs.")
  static final class Approve extends RegistryOption implements Callable<Integer> {
    @Parameters(paramLabel = "VERSION", description = "Version or a unique prefix.")
    String version;

    @Option(names = "--reason", defaultValue = "", description = "Why (required to approve a rejected version).")
    String reason;

    @Override
    public Integer call() {
      try (ModelRegistry r = open(registry)) {
        RegistryEntry e = r.approve(version, reason);
        System.out.printf("%s: %s — %s%n", e.shortVersion(), e.status().label(), e.reason());
      }
      return 0;
    }
  }

  @Command(name = "reject", mixinStandardHelpOptions = true,
      description = "Reject a version by hand: the previous approved version serves again.")
  static final class Reject extends RegistryOption implements Callable<Integer> {
    @Parameters(paramLabel = "VERSION", description = "Version or a unique prefix.")
    String version;

    @Option(names = "--reason", required = true, description = "Why.")
    String reason;

    @Override
    public Integer call() {
      try (ModelRegistry r = open(registry)) {
        RegistryEntry e = r.reject(version, reason);
        System.out.printf("%s: %s — %s%n", e.shortVersion(), e.status().label(), e.reason());
      }
      return 0;
    }
  }
}
