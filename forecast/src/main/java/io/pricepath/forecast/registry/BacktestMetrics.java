package io.pricepath.forecast.registry;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Iterator;
import java.util.Map;
import java.util.TreeMap;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * Flattens a backtest's {@code metrics.json} into the metric map the registry keeps and the {@link
 * ApprovalRule} reads:
 *
 * <ul>
 *   <li>every top-level number as is: {@code wape} and {@code bias} (the primary model's demand
 *       figures), {@code n};
 *   <li>{@code models.<name>.<metric>} as {@code <metric>_<name>}: {@code wape_recent_mean}, {@code
 *       wape_loglog_elasticity}, {@code bias_recent_mean}, … ({@code wape_pricepath} for the
 *       primary model too);
 *   <li>{@code by_horizon[i].<metric>} as {@code <metric>_h<h>}: {@code wape_h1}, {@code n_h1}, …
 * </ul>
 *
 * Other fields ({@code by_target}, notes) are left out.
 */
public final class BacktestMetrics {
  private BacktestMetrics() {}

  private static final JsonMapper JSON =
      JsonMapper.builder().enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS).build();

  /** The flat metrics of the {@code metrics.json} text {@code json}, sorted by key. */
  public static Map<String, Double> parse(String json) {
    JsonNode root;
    try {
      root = JSON.readTree(json);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException(
          "Cannot read backtest metrics: not valid JSON (%s)".formatted(e.getOriginalMessage()), e);
    }
    if (root == null || !root.isObject()) {
      throw new IllegalArgumentException(
          "Cannot read backtest metrics: expected a JSON object (%s)"
              .formatted(root == null ? "empty" : root.getNodeType()));
    }
    Map<String, Double> metrics = new TreeMap<>();
    numbers(root, "", metrics);
    JsonNode models = root.path("models");
    for (Iterator<Map.Entry<String, JsonNode>> it = models.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> model = it.next();
      numbers(model.getValue(), "_" + model.getKey(), metrics);
    }
    for (JsonNode horizon : root.path("by_horizon")) {
      if (horizon.path("h").isNumber()) {
        String suffix = "_h" + horizon.path("h").asInt();
        for (Iterator<Map.Entry<String, JsonNode>> it = horizon.fields(); it.hasNext(); ) {
          Map.Entry<String, JsonNode> field = it.next();
          if (!field.getKey().equals("h") && number(field.getValue())) {
            metrics.put(field.getKey() + suffix, field.getValue().asDouble());
          }
        }
      }
    }
    return metrics;
  }

  /** The flat metrics of the {@code metrics.json} file at {@code file} (any Hadoop path). */
  public static Map<String, Double> read(String file, Configuration hadoop) {
    Path path = new Path(file);
    try (FileSystem fs = FileSystem.newInstance(path.toUri(), hadoop);
        InputStream in = fs.open(path)) {
      return parse(new String(in.readAllBytes(), StandardCharsets.UTF_8));
    } catch (FileNotFoundException e) {
      throw new IllegalArgumentException(
          "Cannot read backtest metrics: no such file (%s); run pricepath backtest first"
              .formatted(file),
          e);
    } catch (IOException e) {
      throw new IllegalStateException(
          "Cannot read backtest metrics from %s: %s".formatted(file, e.getMessage()), e);
    }
  }

  private static void numbers(JsonNode object, String suffix, Map<String, Double> into) {
    for (Iterator<Map.Entry<String, JsonNode>> it = object.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> field = it.next();
      if (number(field.getValue())) {
        into.put(field.getKey() + suffix, field.getValue().asDouble());
      }
    }
  }

  /** A number, or NaN / Infinity written as such or as a string. */
  private static boolean number(JsonNode node) {
    if (node.isNumber()) {
      return true;
    }
    if (node.isTextual()) {
      String t = node.asText();
      return t.equals("NaN") || t.equals("Infinity") || t.equals("-Infinity");
    }
    return false;
  }
}
