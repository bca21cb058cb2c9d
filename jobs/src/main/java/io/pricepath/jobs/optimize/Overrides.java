package io.pricepath.jobs.optimize;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.concat_ws;

import io.pricepath.contract.Columns;
import io.pricepath.jobs.config.ConfigException;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * Pricing managers' overrides, read from the exported CSV they edited: every week cell whose
 * discount differs from what the run named in its {@code run_id} column exported becomes a locked
 * decision, when the week falls in this run's horizon; {@code override_reason} is optional. The
 * exporting run is found by its manifest among the run folders beside this run's folder.
 *
 * <p>Read as RFC 4180 ({@link ManagerCsv}: quoted cells may hold commas, quotes and line breaks).
 * A record with more or fewer cells than the header, or a second record for the same article and
 * market, is refused with its line; {@link #check} then reports, line by line, the edits that the
 * run cannot apply (the article is not on sale in that market) and the price raises it applies
 * against the markdown-only rule.
 *
 * @param file where they were read from
 * @param locked {@code article_id|market} → ladder index per week of the horizon, -1 where free
 * @param reasons {@code article_id|market} → the manager's reason ("" when none was written)
 * @param lockedWeeks number of locked (article, market, week) decisions
 * @param lines {@code article_id|market} → the line of the file its record starts on
 */
public record Overrides(String file, Map<String, int[]> locked, Map<String, String> reasons, long lockedWeeks,
    Map<String, Integer> lines) implements Serializable {

  /** No overrides. */
  public static Overrides none() {
    return new Overrides(null, Map.of(), Map.of(), 0, Map.of());
  }

  /** Reads {@code file} for a plan starting at {@code planWeek}; errors name the line, column and fix. */
  public static Overrides read(String file, Configuration hadoop, LocalDate planWeek, int horizon, double[] ladder,
      String runsFolder) {
    List<ManagerCsv.Line> lines = lines(file, hadoop);
    if (lines.isEmpty()) {
      throw new ConfigException("Cannot read overrides %s: the file is empty (expected the header of the exported CSV)"
          .formatted(file));
    }
    List<String> header = lines.get(0).cells();
    int article = required(header, "article_id", file);
    int market = required(header, "market", file);
    int reason = required(header, "override_reason", file);
    int runIdColumn = required(header, "run_id", file);
    Map<String, String> base = new java.util.HashMap<>();
    java.util.Set<String> runIds = new java.util.TreeSet<>();
    for (ManagerCsv.Line line : lines.subList(1, lines.size())) {
      String id = line.cell(runIdColumn).trim();
      if (!id.isEmpty()) {
        runIds.add(id);
      }
    }
    for (String runId : runIds) {
      base.putAll(exported(runId, runsFolder, hadoop, file));
    }
    Map<Integer, Integer> weekColumns = new LinkedHashMap<>();
    List<Integer> otherWeeks = new ArrayList<>(); // week columns of another plan: edits there cannot be applied
    for (int c = 0; c < header.size(); c++) {
      try {
        LocalDate week = LocalDate.parse(header.get(c).trim());
        long t = java.time.temporal.ChronoUnit.WEEKS.between(planWeek, week);
        if (!week.isBefore(planWeek) && t < horizon && week.getDayOfWeek() == planWeek.getDayOfWeek()) {
          weekColumns.put(c, (int) t);
        } else {
          otherWeeks.add(c);
        }
      } catch (DateTimeParseException notAWeek) {
        // an attribute or figure column
      }
    }
    Map<String, int[]> locked = new LinkedHashMap<>();
    Map<String, String> reasons = new LinkedHashMap<>();
    Map<String, Integer> seen = new LinkedHashMap<>();
    long count = 0;
    for (ManagerCsv.Line line : lines.subList(1, lines.size())) {
      List<String> cells = line.cells();
      if (cells.stream().allMatch(String::isBlank)) {
        continue;
      }
      if (cells.size() != header.size()) {
        throw new ConfigException(("Cannot read overrides %s line %d: %d cells where the header has %d (a cell with a "
            + "comma, a quote or a line break must be quoted; keep the exported columns)")
            .formatted(file, line.number(), cells.size(), header.size()));
      }
      String key = line.cell(article) + "|" + line.cell(market);
      Integer first = seen.putIfAbsent(key, line.number());
      if (first != null) {
        throw new ConfigException(("Cannot read overrides %s lines %d and %d: both are article %s in market %s (keep "
            + "one row per article and market)").formatted(file, first, line.number(), line.cell(article),
            line.cell(market)));
      }
      for (int c : otherWeeks) {
        String text = line.cell(c).trim();
        String was = base.get(key + "|" + header.get(c).trim());
        if (!text.isEmpty() && (was == null || !was.trim().equals(text))) {
          throw new ConfigException(("Cannot read overrides %s line %d: column %s is edited, but week %s is not in this "
              + "run's plan (the %d weeks from %s); edit the export of the run that plans it, or move the edit to a week "
              + "of this plan").formatted(file, line.number(), header.get(c), header.get(c).trim(), horizon, planWeek));
        }
      }
      int[] levels = new int[horizon];
      Arrays.fill(levels, -1);
      boolean edited = false;
      for (Map.Entry<Integer, Integer> column : weekColumns.entrySet()) {
        String text = line.cell(column.getKey()).trim();
        if (text.isEmpty()) {
          continue;
        }
        int level = level(text, ladder, file, line.number(), header.get(column.getKey()));
        String was = base.get(key + "|" + header.get(column.getKey()).trim());
        if (was != null && !was.isBlank() && Math.abs(Double.parseDouble(was) - ladder[level]) < 1e-6) {
          continue; // as exported: not an edit
        }
        levels[column.getValue()] = level;
        edited = true;
        count++;
      }
      if (edited) {
        locked.put(key, levels);
        reasons.put(key, line.cell(reason).trim());
      }
    }
    return new Overrides(file, Map.copyOf(locked), Map.copyOf(reasons), count, Map.copyOf(seen));
  }

  /**
   * What the run makes of the edits, line by line: an edit of an article-market not on sale in
   * {@code planState} cannot be applied; a locked week below the live discount raises the price
   * against {@code markdownOnly} (applied as the manager asked). Nothing when there are no edits.
   */
  public List<String> check(Dataset<Row> planState, double[] ladder, boolean markdownOnly) {
    if (locked.isEmpty()) {
      return List.of();
    }
    Map<String, Double> live = new java.util.HashMap<>();
    for (Row r : planState
        .select(concat_ws("|", col(Columns.ARTICLE_ID), col(Columns.MARKET)).as("key"),
            col(io.pricepath.features.PlanState.LIVE_DISCOUNT))
        .where(col("key").isin(locked.keySet().toArray()))
        .collectAsList()) {
      live.put(r.getString(0), r.isNullAt(1) ? 0.0 : ((Number) r.get(1)).doubleValue());
    }
    List<String> warnings = new ArrayList<>();
    for (Map.Entry<String, int[]> e : new java.util.TreeMap<>(locked).entrySet()) {
      String key = e.getKey();
      String[] parts = key.split("\\|", 2);
      int line = lines.getOrDefault(key, 0);
      if (!live.containsKey(key)) {
        warnings.add("overrides %s line %d: article %s is not on sale in market %s at this plan week; its edits are not applied"
            .formatted(file, line, parts[0], parts[1]));
        continue;
      }
      double liveDiscount = live.get(key);
      for (int t = 0; t < e.getValue().length; t++) {
        int level = e.getValue()[t];
        if (markdownOnly && level >= 0 && ladder[level] < liveDiscount - 1e-9) {
          warnings.add(("overrides %s line %d: article %s in market %s locks week %d at %s, below its live discount %s "
              + "— a price raise against rules.markdown-only, applied as asked").formatted(file, line, parts[0],
              parts[1], t + 1, ladder[level], liveDiscount));
          break;
        }
      }
    }
    return warnings;
  }

  private static List<ManagerCsv.Line> lines(String file, Configuration hadoop) {
    Path path = new Path(file);
    try (var in = new InputStreamReader(path.getFileSystem(hadoop).open(path), StandardCharsets.UTF_8)) {
      return ManagerCsv.read(in);
    } catch (IOException | java.io.UncheckedIOException | IllegalStateException e) {
      throw new ConfigException("Cannot read overrides %s: %s (pass the CSV a run exported, edited)".formatted(
          file, String.valueOf(e.getMessage()).lines().findFirst().orElse("")));
    }
  }

  /** What run {@code runId} exported: {@code article|market|week} → discount as written. */
  private static Map<String, String> exported(String runId, String runsFolder, Configuration hadoop, String file) {
    try {
      Path runs = new Path(runsFolder);
      var fs = runs.getFileSystem(hadoop);
      if (fs.exists(runs)) {
        for (var child : fs.listStatus(runs)) {
          Path manifest = new Path(child.getPath(), "manifest.json");
          Path csv = new Path(child.getPath(), "export/recommendations.csv");
          if (!child.isDirectory() || !fs.exists(manifest) || !fs.exists(csv)) {
            continue;
          }
          String id;
          try (var in = fs.open(manifest)) {
            id = new com.fasterxml.jackson.databind.ObjectMapper().readTree(in).path("run_id").asText();
          }
          if (runId.equals(id)) {
            List<ManagerCsv.Line> lines = lines(csv.toString(), hadoop);
            List<String> header = lines.get(0).cells();
            Map<String, String> values = new java.util.HashMap<>();
            for (ManagerCsv.Line line : lines.subList(1, lines.size())) {
              String key = line.cell(0) + "|" + line.cell(1);
              for (int c = 2; c < header.size(); c++) {
                if (header.get(c).matches("\\d{4}-\\d{2}-\\d{2}")) {
                  values.put(key + "|" + header.get(c), line.cell(c));
                }
              }
            }
            return values;
          }
        }
      }
    } catch (IOException e) {
      throw new ConfigException("Cannot read overrides %s: the runs folder %s cannot be listed (%s)".formatted(
          file, runsFolder, e.getMessage()));
    }
    throw new ConfigException(("Cannot read overrides %s: it was exported by run %s, whose export is not in a run "
        + "folder under %s (run with --out beside that run's folder, or set overrides-base to the folder holding it)")
        .formatted(file, runId, runsFolder));
  }

  /** The locked levels of {@code key}, or null when it has none. */
  int[] lockedFor(String key) {
    return locked.get(key);
  }

  private static int level(String text, double[] ladder, String file, int line, String column) {
    double value;
    try {
      value = Double.parseDouble(text.endsWith("%") ? text.substring(0, text.length() - 1) : text);
    } catch (NumberFormatException e) {
      throw new ConfigException("Cannot read overrides %s line %d: column %s is \"%s\", not a discount (write a fraction such as 0.3, or leave the cell empty)"
          .formatted(file, line, column, text));
    }
    if (text.endsWith("%") || value >= 1) {
      throw new ConfigException("Cannot read overrides %s line %d: column %s is %s; discounts are fractions of the black price (write %s for %s %%)"
          .formatted(file, line, column, text, value / 100, value));
    }
    for (int k = 0; k < ladder.length; k++) {
      if (Math.abs(ladder[k] - value) < 1e-6) {
        return k;
      }
    }
    throw new ConfigException("Cannot read overrides %s line %d: column %s is %s, not on the discount ladder %s (use one of those)"
        .formatted(file, line, column, text, Arrays.toString(ladder)));
  }

  private static int required(List<String> header, String name, String file) {
    int index = header.indexOf(name);
    if (index < 0) {
      throw new ConfigException("Cannot read overrides %s: column %s is missing (keep the header of the exported CSV)"
          .formatted(file, name));
    }
    return index;
  }
}
