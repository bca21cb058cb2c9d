package io.pricepath.jobs.config;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigList;
import com.typesafe.config.ConfigObject;
import com.typesafe.config.ConfigUtil;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueType;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The keys a run config may hold: those of the defaults ({@code conf/local.conf}), the Spark
 * settings under {@code spark.conf}, a category's rules under {@code rules.by-category.<category>}
 * (the keys of {@code rules}) and the fields of a {@code coupling} target. A misspelt key would
 * otherwise be ignored without a word (a misspelt {@code rules.max-discount} prices without the
 * rule): {@link #check} refuses it and names the nearest known key.
 */
final class ConfigKeys {
  static final String SPARK_CONF = "spark.conf";
  static final String BY_CATEGORY = "rules.by-category";
  static final Set<String> COUPLING_FIELDS = Set.of("kind", "target", "market", "category", "week", "penalty");

  private final Set<String> known = new TreeSet<>();
  private final Set<String> ruleKeys = new TreeSet<>();

  /** The keys of {@code defaults}, the tree under {@code pricepath}. */
  ConfigKeys(Config defaults) {
    collect(defaults.root(), List.of(), known);
    for (String key : defaults.getConfig("rules").root().keySet()) {
      if (!key.equals("by-category")) {
        ruleKeys.add(key);
      }
    }
    known.add(SPARK_CONF);
    known.add(BY_CATEGORY);
  }

  private static void collect(ConfigObject object, List<String> path, Set<String> into) {
    for (Map.Entry<String, ConfigValue> e : object.entrySet()) {
      List<String> here = new ArrayList<>(path);
      here.add(e.getKey());
      if (e.getValue() instanceof ConfigObject child && !child.isEmpty()) {
        collect(child, here, into);
      } else {
        into.add(ConfigUtil.joinPath(here));
      }
    }
  }

  /**
   * Refuses the first key of {@code config} (a tree under {@code pricepath}, as given by {@code
   * source}: a config file or a {@code --set}) that no run reads.
   *
   * @throws ConfigException naming the source, the key and the nearest known key
   */
  void check(ConfigObject config, String source) {
    walk(config, List.of(), source);
  }

  private void walk(ConfigObject object, List<String> path, String source) {
    for (Map.Entry<String, ConfigValue> e : object.entrySet()) {
      List<String> here = new ArrayList<>(path);
      here.add(e.getKey());
      String key = ConfigUtil.joinPath(here);
      if (key.equals(SPARK_CONF) || key.startsWith(SPARK_CONF + ".")) {
        continue; // Spark settings: checked when the session opens
      }
      if (here.size() >= 3 && ConfigUtil.joinPath(here.subList(0, 2)).equals(BY_CATEGORY)) {
        checkCategoryRule(e.getValue(), here, source);
        continue;
      }
      ConfigValue value = e.getValue();
      if (value instanceof ConfigObject child && isObject(child)) {
        if (!known.contains(key) && known.stream().noneMatch(k -> k.startsWith(key + "."))) {
          throw unknown(source, key, known);
        }
        walk(child, here, source);
        continue;
      }
      if (!known.contains(key)) {
        throw unknown(source, key, known);
      }
      if (key.equals("coupling") && value instanceof ConfigList list) {
        for (int i = 0; i < list.size(); i++) {
          if (list.get(i) instanceof ConfigObject target) {
            for (String field : target.keySet()) {
              if (!COUPLING_FIELDS.contains(field)) {
                throw unknown(source, "coupling[%d].%s".formatted(i, field), COUPLING_FIELDS);
              }
            }
          }
        }
      }
    }
  }

  /** A category's block holds rule keys only: {@code rules.by-category.shoes.max-discount}. */
  private void checkCategoryRule(ConfigValue value, List<String> path, String source) {
    if (path.size() == 3) {
      if (value instanceof ConfigObject rules && isObject(rules)) {
        for (Map.Entry<String, ConfigValue> rule : rules.entrySet()) {
          List<String> key = new ArrayList<>(path);
          key.add(rule.getKey());
          if (!ruleKeys.contains(rule.getKey())) {
            throw unknown(source, ConfigUtil.joinPath(key), ruleKeys);
          }
        }
        return;
      }
      throw new ConfigException(("Cannot use %s: %s must be a block of rules, e.g. %s { max-discount = 0.5 } "
          + "(rule keys: %s)").formatted(source, ConfigUtil.joinPath(path), ConfigUtil.joinPath(path),
          String.join(", ", ruleKeys)));
    }
    if (!ruleKeys.contains(path.get(3))) {
      throw unknown(source, ConfigUtil.joinPath(path), ruleKeys);
    }
  }

  private static boolean isObject(ConfigObject object) {
    try {
      return object.valueType() == ConfigValueType.OBJECT;
    } catch (com.typesafe.config.ConfigException.NotResolved e) {
      return false;
    }
  }

  private static ConfigException unknown(String source, String key, Set<String> candidates) {
    String last = key.substring(key.lastIndexOf('.') + 1);
    String nearest = candidates.stream()
        .min(Comparator.comparingInt((String k) -> Math.min(distance(k, key), distance(k, last)))
            .thenComparing(k -> k))
        .orElse(null);
    return new ConfigException("Cannot use %s: no setting is called %s%s (every key is listed in conf/local.conf)"
        .formatted(source, key, nearest == null ? "" : "; did you mean " + nearest + "?"));
  }

  /** Levenshtein distance. */
  static int distance(String a, String b) {
    int[] previous = new int[b.length() + 1];
    int[] current = new int[b.length() + 1];
    for (int j = 0; j <= b.length(); j++) {
      previous[j] = j;
    }
    for (int i = 1; i <= a.length(); i++) {
      current[0] = i;
      for (int j = 1; j <= b.length(); j++) {
        int substitute = previous[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
        current[j] = Math.min(substitute, Math.min(previous[j], current[j - 1]) + 1);
      }
      int[] swap = previous;
      previous = current;
      current = swap;
    }
    return previous[b.length()];
  }
}
