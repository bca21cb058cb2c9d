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
 * Pricing managers' overrides, read from the exported CSV they edited: rows with a non-empty
 * {@code override_reason} lock each of their week cells that falls in this run's horizon; rows
 * without a reason are ignored, so a manager edits a row, says why, and sends the file back.
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
  public static Overrides read(String file, Configuration hadoop, LocalDate planWeek, int horizon, double[] ladder) {
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
    if (lines.isEmpty()) {
      throw new ConfigException("Cannot read overrides %s: the file is empty (expected the header of the exported CSV)"
          .formatted(file));
    }
    List<String> header = parseLine(lines.get(0));
    int article = required(header, "article_id", file);
    int market = required(header, "market", file);
    int reason = required(header, "override_reason", file);
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
      String why = cell(cells, reason);
      if (why.isBlank()) {
        continue;
      }
      String key = cell(cells, article) + "|" + cell(cells, market);
      int[] levels = new int[horizon];
      Arrays.fill(levels, -1);
      for (Map.Entry<Integer, Integer> column : weekColumns.entrySet()) {
        String text = cell(cells, column.getKey()).trim();
        if (text.isEmpty()) {
          continue;
        }
        levels[column.getValue()] = level(text, ladder, file, n + 1, header.get(column.getKey()));
        count++;
      }
      locked.put(key, levels);
      reasons.put(key, why.trim());
    }
    return new Overrides(file, Map.copyOf(locked), Map.copyOf(reasons), count);
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
