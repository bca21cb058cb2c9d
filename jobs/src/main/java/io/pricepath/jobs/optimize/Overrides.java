package io.pricepath.jobs.optimize;

import io.pricepath.jobs.config.ConfigException;
import java.io.BufferedReader;
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

/**
 * Pricing managers' overrides, read from the exported CSV they edited: every week cell whose
 * discount differs from what the run named in its {@code run_id} column exported becomes a locked
 * decision, when the week falls in this run's horizon; {@code override_reason} is optional. The
 * exporting run is found by its manifest among the run folders beside this run's folder.
 *
 * @param file where they were read from
 * @param locked {@code article_id|market} → ladder index per week of the horizon, -1 where free
 * @param reasons {@code article_id|market} → the manager's reason
 * @param lockedWeeks number of locked (article, market, week) decisions
 */
public record Overrides(String file, Map<String, int[]> locked, Map<String, String> reasons, long lockedWeeks)
    implements Serializable {

  /** No overrides. */
  public static Overrides none() {
    return new Overrides(null, Map.of(), Map.of(), 0);
  }

  /** Reads {@code file} for a plan starting at {@code planWeek}; errors name the line, column and fix. */
  public static Overrides read(String file, Configuration hadoop, LocalDate planWeek, int horizon, double[] ladder,
      String runsFolder) {
    List<String> lines = lines(file, hadoop);
    if (lines.isEmpty()) {
      throw new ConfigException("Cannot read overrides %s: the file is empty (expected the header of the exported CSV)"
          .formatted(file));
    }
    List<String> header = parseLine(lines.get(0));
    int article = required(header, "article_id", file);
    int market = required(header, "market", file);
    int reason = required(header, "override_reason", file);
    int runIdColumn = required(header, "run_id", file);
    Map<String, String> base = new java.util.HashMap<>();
    java.util.Set<String> runIds = new java.util.TreeSet<>();
    for (int n = 1; n < lines.size(); n++) {
      String id = cell(parseLine(lines.get(n)), runIdColumn).trim();
      if (!id.isEmpty()) {
        runIds.add(id);
      }
    }
    for (String runId : runIds) {
      base.putAll(exported(runId, runsFolder, hadoop, file));
    }
    Map<Integer, Integer> weekColumns = new LinkedHashMap<>();
    for (int c = 0; c < header.size(); c++) {
      try {
        LocalDate week = LocalDate.parse(header.get(c).trim());
        long t = java.time.temporal.ChronoUnit.WEEKS.between(planWeek, week);
        if (!week.isBefore(planWeek) && t < horizon && week.getDayOfWeek() == planWeek.getDayOfWeek()) {
          weekColumns.put(c, (int) t);
        }
      } catch (DateTimeParseException notAWeek) {
        // an attribute or figure column
      }
    }
    Map<String, int[]> locked = new LinkedHashMap<>();
    Map<String, String> reasons = new LinkedHashMap<>();
    long count = 0;
    for (int n = 1; n < lines.size(); n++) {
      if (lines.get(n).isBlank()) {
        continue;
      }
      List<String> cells = parseLine(lines.get(n));
      String key = cell(cells, article) + "|" + cell(cells, market);
      int[] levels = new int[horizon];
      Arrays.fill(levels, -1);
      boolean edited = false;
      for (Map.Entry<Integer, Integer> column : weekColumns.entrySet()) {
        String text = cell(cells, column.getKey()).trim();
        if (text.isEmpty()) {
          continue;
        }
        int level = level(text, ladder, file, n + 1, header.get(column.getKey()));
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
        String why = cell(cells, reason).trim();
        reasons.put(key, why.isEmpty() ? "manager override" : why);
      }
    }
    return new Overrides(file, Map.copyOf(locked), Map.copyOf(reasons), count);
  }

  private static List<String> lines(String file, Configuration hadoop) {
    Path path = new Path(file);
    List<String> lines = new ArrayList<>();
    try (BufferedReader in = new BufferedReader(
        new InputStreamReader(path.getFileSystem(hadoop).open(path), StandardCharsets.UTF_8))) {
      String line;
      while ((line = in.readLine()) != null) {
        lines.add(line);
      }
    } catch (IOException e) {
      throw new ConfigException("Cannot read overrides %s: %s (pass the CSV a run exported, edited)".formatted(
          file, e.getMessage()));
    }
    return lines;
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
            List<String> lines = lines(csv.toString(), hadoop);
            List<String> header = parseLine(lines.get(0));
            Map<String, String> values = new java.util.HashMap<>();
            for (int n = 1; n < lines.size(); n++) {
              List<String> cells = parseLine(lines.get(n));
              String key = cells.get(0) + "|" + cells.get(1);
              for (int c = 2; c < header.size() && c < cells.size(); c++) {
                if (header.get(c).matches("\\d{4}-\\d{2}-\\d{2}")) {
                  values.put(key + "|" + header.get(c), cells.get(c));
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

  private static String cell(List<String> cells, int index) {
    return index < cells.size() ? cells.get(index) : "";
  }

  /** One CSV line: commas, double-quoted cells with "" escapes, a leading ' kept off formulas. */
  static List<String> parseLine(String line) {
    List<String> cells = new ArrayList<>();
    StringBuilder cell = new StringBuilder();
    boolean quoted = false;
    for (int i = 0; i < line.length(); i++) {
      char ch = line.charAt(i);
      if (quoted) {
        if (ch == '"' && i + 1 < line.length() && line.charAt(i + 1) == '"') {
          cell.append('"');
          i++;
        } else if (ch == '"') {
          quoted = false;
        } else {
          cell.append(ch);
        }
      } else if (ch == '"') {
        quoted = true;
      } else if (ch == ',') {
        cells.add(cell.toString());
        cell.setLength(0);
      } else {
        cell.append(ch);
      }
    }
    cells.add(cell.toString());
    return cells;
  }
}
