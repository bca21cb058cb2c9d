package io.pricepath.jobs.config;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException.BadValue;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigObject;
import com.typesafe.config.ConfigParseOptions;
import com.typesafe.config.ConfigRenderOptions;
import com.typesafe.config.ConfigSyntax;
import io.pricepath.contract.Weeks;
import java.io.File;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;

/**
 * Resolves a run's configuration on the driver: {@code --set key=value} overrides &gt; the file
 * given with {@code --conf} &gt; the defaults of {@code conf/local.conf} (shipped in the jar).
 */
public final class ConfigLoader {
  /** Classpath location of the defaults (a copy of conf/local.conf). */
  public static final String DEFAULTS = "conf/local.conf";

  private ConfigLoader() {}

  /** The merged HOCON tree under {@code pricepath}, before it is turned into a {@link RunConfig}. */
  public static Config merged(String confFile, List<String> overrides) {
    Config defaults = ConfigFactory.parseResources(ConfigLoader.class.getClassLoader(), DEFAULTS);
    if (!defaults.hasPath("pricepath")) {
      throw new ConfigException("Cannot load defaults: " + DEFAULTS + " is not on the classpath (rebuild the jar)");
    }
    ConfigKeys keys = new ConfigKeys(defaults.getConfig("pricepath"));
    Config config = defaults;
    if (confFile != null && !confFile.isBlank()) {
      File file = new File(confFile);
      if (!file.isFile()) {
        throw new ConfigException("Cannot read config file %s: no such file (pass an existing --conf FILE)".formatted(confFile));
      }
      Config parsed;
      try {
        parsed = ConfigFactory.parseFile(file, ConfigParseOptions.defaults().setAllowMissing(false));
      } catch (com.typesafe.config.ConfigException e) {
        throw new ConfigException("Cannot read config file %s: %s%s".formatted(confFile,
            e.origin() != null && e.origin().lineNumber() > 0 ? "line " + e.origin().lineNumber() + ": " : "",
            detail(e)));
      }
      for (String key : parsed.root().keySet()) {
        if (!key.equals("pricepath")) {
          throw new ConfigException(("Cannot use config file %s: its key %s is outside the pricepath { … } block, "
              + "where every setting goes (e.g. pricepath { plan { horizon = 8 } })").formatted(confFile, key));
        }
      }
      if (parsed.root().get("pricepath") instanceof com.typesafe.config.ConfigObject pricepath) {
        keys.check(pricepath, "config file " + confFile);
      }
      config = parsed.withFallback(config);
    }
    for (String override : overrides) { // a later --set wins over an earlier one
      Config parsed = parseOverride(override);
      keys.check(parsed.root().toConfig().getObject("pricepath"), "--set " + override);
      config = parsed.withFallback(config);
    }
    try {
      return config.resolve().getConfig("pricepath");
    } catch (com.typesafe.config.ConfigException e) {
      throw new ConfigException("Cannot resolve config: " + e.getMessage());
    }
  }

  /** Loads and validates the run configuration. */
  public static RunConfig load(String confFile, List<String> overrides) {
    return toRunConfig(merged(confFile, overrides));
  }

  /** The configuration as canonical JSON (for the manifest and fingerprints). */
  public static String toJson(Config pricepath) {
    return pricepath.root().render(ConfigRenderOptions.concise().setJson(true));
  }

  static Config parseOverride(String assignment) {
    int eq = assignment.indexOf('=');
    if (eq <= 0) {
      throw new ConfigException(
          "Cannot use --set %s: expected key=value, e.g. --set plan.horizon=8".formatted(assignment));
    }
    String key = assignment.substring(0, eq).trim();
    String value = assignment.substring(eq + 1).trim();
    if (!key.startsWith("pricepath.")) {
      key = "pricepath." + key;
    }
    try {
      return ConfigFactory.parseString(key + " = " + quoteIfNeeded(value),
          ConfigParseOptions.defaults().setSyntax(ConfigSyntax.CONF));
    } catch (com.typesafe.config.ConfigException e) {
      throw new ConfigException("Cannot use --set %s: %s".formatted(assignment, e.getMessage()));
    }
  }

  private static String quoteIfNeeded(String value) {
    if (value.isEmpty()) {
      return "\"\"";
    }
    char first = value.charAt(0);
    if (first == '[' || first == '{' || first == '"') {
      return value;
    }
    // Dates and paths would otherwise be parsed as arithmetic or unquoted strings with ':'.
    if (value.matches("-?\\d+(\\.\\d+)?") || value.equals("true") || value.equals("false")) {
      return value;
    }
    return "\"" + value.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
  }

  /** Turns a merged tree (from {@link #merged}) into the validated record. */
  public static RunConfig toRunConfig(Config c) {
    try {
      String week = c.getString("plan.week");
      LocalDate planWeek = week.isBlank() ? null : parseWeek(week);
      List<Double> ladderList = c.getDoubleList("plan.ladder");
      double[] ladder = ladderList.stream().mapToDouble(Double::doubleValue).toArray();
      var rules = rules(c.getConfig("rules"));
      java.util.Map<String, RunConfig.RuleConfig> categoryRules = new java.util.TreeMap<>();
      Config byCategory = c.getConfig("rules.by-category");
      for (String category : byCategory.root().keySet()) {
        categoryRules.put(category,
            rules(byCategory.getConfig("\"" + category + "\"").withFallback(c.getConfig("rules"))));
      }
      List<RunConfig.CouplingConfig> coupling = new ArrayList<>();
      for (ConfigObject object : c.getObjectList("coupling")) {
        Config row = object.toConfig();
        coupling.add(new RunConfig.CouplingConfig(
            row.getString("kind"),
            row.getDouble("target"),
            row.hasPath("market") ? row.getString("market") : null,
            row.hasPath("category") ? row.getString("category") : null,
            row.hasPath("week") ? row.getInt("week") : -1,
            row.hasPath("penalty") ? row.getDouble("penalty") : Double.NaN));
      }
      var forecast = new RunConfig.ForecastConfig(
          c.getInt("forecast.training-weeks"),
          c.getInt("forecast.origin-every"),
          c.getInt("forecast.validation-weeks"),
          c.getInt("forecast.rounds"),
          c.getInt("forecast.max-depth"),
          c.getDouble("forecast.eta"),
          c.getLong("forecast.seed"),
          c.getInt("forecast.workers"),
          c.getString("forecast.booster-training"),
          c.getInt("forecast.tracker-timeout"),
          c.getString("forecast.model"),
          new RunConfig.TransformerConfig(
              c.getInt("forecast.transformer.weeks"),
              c.getInt("forecast.transformer.width"),
              c.getInt("forecast.transformer.heads"),
              c.getInt("forecast.transformer.layers"),
              c.getInt("forecast.transformer.epochs"),
              c.getInt("forecast.transformer.patience"),
              c.getInt("forecast.transformer.batch-series"),
              c.getDouble("forecast.transformer.learning-rate"),
              c.getDouble("forecast.transformer.response-prior"),
              c.getInt("forecast.transformer.threads"),
              c.getString("forecast.transformer.device")));
      var optimizer = new RunConfig.OptimizerConfig(
          c.getInt("optimizer.max-iterations"),
          c.getDouble("optimizer.gap-tolerance"),
          c.getInt("optimizer.heuristic-cuts"),
          c.getString("optimizer.on-missed-targets"),
          c.getDouble("optimizer.soft-penalty"));
      String quarantine = c.getString("validation.quarantine");
      var review = new RunConfig.ReviewConfig(
          c.getDouble("review.deep-discount"), c.getDouble("review.stock-left-share"),
          c.getInt("review.thin-history-weeks"), c.getDouble("review.volatile-cv"), c.getDouble("review.uncertain-error"),
          c.getDouble("review.stake-coverage"));
      String registry = c.getString("registry.uri");
      var models = new RunConfig.ModelConfig(
          c.getInt("retrain.every-weeks"),
          c.getBoolean("retrain.force"),
          registry.isBlank() ? null : registry,
          c.getDouble("approval.tolerance"),
          c.getStringList("approval.baselines"),
          c.getInt("approval.backtest-origins"),
          c.getInt("approval.backtest-every"),
          c.getInt("approval.backtest-horizon"));
      return new RunConfig(
          c.getString("spark.master"),
          c.getInt("spark.shuffle-partitions"),
          planWeek,
          c.getInt("plan.horizon"),
          ladder,
          rules,
          coupling,
          c.getDouble("markdown-budget-vs-unconstrained"),
          forecast,
          optimizer,
          quarantine.isBlank() ? null : quarantine,
          review,
          models,
          categoryRules,
          c.getString("overrides").isBlank() ? null : c.getString("overrides"),
          c.getString("overrides-base").isBlank() ? null : c.getString("overrides-base"),
          new RunConfig.StockConfig(c.getBoolean("stock.shared-across-markets"), pools(c)),
          c.getString("coupling-season-start").isBlank() ? null
              : parseWeek("coupling-season-start", c.getString("coupling-season-start")),
          c.getInt("lock-lease-seconds"));
    } catch (com.typesafe.config.ConfigException.Missing e) {
      throw new ConfigException("Cannot use config: a key is missing (%s); see conf/local.conf for every key"
          .formatted(e.getMessage()));
    } catch (com.typesafe.config.ConfigException.WrongType | BadValue e) {
      throw new ConfigException("Cannot use config: %s".formatted(detail(e)));
    }
  }

  /** The HOCON library's message without its origin prefix ({@code "String: 1: "}, {@code "FILE: 3: "}). */
  static String detail(com.typesafe.config.ConfigException e) {
    String message = String.valueOf(e.getMessage());
    if (e.origin() != null && message.startsWith(e.origin().description() + ": ")) {
      return message.substring(e.origin().description().length() + 2);
    }
    return message;
  }

  private static List<List<String>> pools(Config c) {
    List<List<String>> pools = new ArrayList<>();
    for (Object pool : c.getList("stock.pools").unwrapped()) {
      if (!(pool instanceof List<?> markets)) {
        throw new ConfigException("stock.pools", pool, "is a list of market lists, e.g. [[DE, AT, CH]]");
      }
      pools.add(markets.stream().map(String::valueOf).toList());
    }
    return pools;
  }

  private static RunConfig.RuleConfig rules(Config r) {
    return new RunConfig.RuleConfig(
        r.getBoolean("markdown-only"),
        r.getInt("max-steps-per-week"),
        r.getInt("max-changes"),
        r.getDouble("min-discount"),
        r.getDouble("max-discount"),
        r.getInt("no-touch-weeks-after-launch"));
  }

  private static LocalDate parseWeek(String text) {
    return parseWeek("plan.week", text);
  }

  private static LocalDate parseWeek(String key, String text) {
    try {
      return Weeks.parseMonday(key, text);
    } catch (IllegalArgumentException e) {
      throw new ConfigException(e.getMessage());
    }
  }
}
