package io.pricepath.simulate;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.time.LocalDate;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.SparkSession;

/** {@code truth/truth.json}: the config and seed a simulated dataset was generated with. */
final class TruthFile {
  private TruthFile() {}

  static final String FORMAT = "pricepath-simulator-truth";
  static final int VERSION = 1;
  private static final ObjectMapper JSON = new ObjectMapper();

  static String trimRoot(String root) {
    String trimmed = root.trim();
    while (trimmed.length() > 1 && trimmed.endsWith("/")) {
      trimmed = trimmed.substring(0, trimmed.length() - 1);
    }
    return trimmed;
  }

  static String json(SimulatorConfig config) {
    ObjectNode node = JSON.createObjectNode();
    node.put("format", FORMAT);
    node.put("version", VERSION);
    node.put("seed", config.seed());
    node.put("articles", config.articles());
    node.put("markets", config.markets());
    node.put("weeks", config.weeks());
    node.put("first_week", config.firstWeek().toString());
    node.put("last_week", config.lastWeek().toString());
    node.put("plan_week", config.planWeek().toString());
    ArrayNode names = node.putArray("market_names");
    config.marketNames().forEach(names::add);
    node.put("params", SimulatedTables.TRUTH_PARAMS);
    node.put(
        "stock_convention",
        "stock_on_hand counts units arriving at the start of the week (initial buy,"
            + " replenishment, returns with that return_week); start_stock at the plan week ="
            + " last stock_on_hand - that week's units_sold; history returns arriving at or after"
            + " the plan week are pending_returns; no replenishment from the plan week on");
    try {
      return JSON.writerWithDefaultPrettyPrinter().writeValueAsString(node) + "\n";
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static void write(SparkSession spark, String root, SimulatorConfig config) {
    Path path = new Path(root + "/" + SimulatedTables.TRUTH_JSON);
    try {
      FileSystem fs = path.getFileSystem(spark.sparkContext().hadoopConfiguration());
      try (OutputStream out = fs.create(path, true)) {
        out.write(json(config).getBytes(java.nio.charset.StandardCharsets.UTF_8));
      }
    } catch (IOException e) {
      throw new UncheckedIOException(
          "Cannot write ground truth: %s failed (%s)".formatted(path, e.getMessage()), e);
    }
  }

  static SimulatorConfig read(SparkSession spark, String root) {
    Path path = new Path(root + "/" + SimulatedTables.TRUTH_JSON);
    JsonNode node;
    try {
      FileSystem fs = path.getFileSystem(spark.sparkContext().hadoopConfiguration());
      if (!fs.exists(path)) {
        throw new IllegalArgumentException(
            "Cannot load ground truth: %s does not exist (only roots written by `pricepath generate` have a truth)"
                .formatted(path));
      }
      try (InputStream in = fs.open(path)) {
        node = JSON.readTree(in);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(
          "Cannot load ground truth: reading %s failed (%s)".formatted(path, e.getMessage()), e);
    }
    if (!FORMAT.equals(node.path("format").asText()) || node.path("version").asInt() != VERSION) {
      throw new IllegalArgumentException(
          "Cannot load ground truth: %s is not a %s file of version %d (%s %s)"
              .formatted(path, FORMAT, VERSION, node.path("format").asText(), node.path("version").asText()));
    }
    return new SimulatorConfig(
        node.path("articles").asInt(),
        node.path("markets").asInt(),
        node.path("weeks").asInt(),
        node.path("seed").asLong(),
        LocalDate.parse(node.path("first_week").asText()),
        0);
  }
}
