package io.pricepath.jobs.optimize;

import java.io.IOException;
import java.io.Reader;
import java.io.Writer;
import java.util.ArrayList;
import java.util.List;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVPrinter;
import org.apache.commons.csv.CSVRecord;

/**
 * The pricing managers' CSV, as the export writes it and the overrides read it back: RFC 4180
 * (commas, double-quoted cells with {@code ""} escapes and line breaks inside them), {@code \n}
 * between records, and a cell that a spreadsheet would run as a formula ({@code = + - @} first)
 * written with a leading {@code '}.
 */
public final class ManagerCsv {
  static final CSVFormat FORMAT = CSVFormat.RFC4180.builder().setRecordSeparator("\n").build();

  private ManagerCsv() {}

  /** A printer of records into {@code out}. */
  public static CSVPrinter printer(Writer out) throws IOException {
    return new CSVPrinter(out, FORMAT);
  }

  /** Text as a cell, kept from being run as a formula. */
  public static String text(String value) {
    if (value == null) {
      return "";
    }
    return !value.isEmpty() && "=+-@".indexOf(value.charAt(0)) >= 0 ? "'" + value : value;
  }

  /**
   * One record of the file and the line it starts on (1 for the header; a cell with line breaks
   * makes the next record start further down).
   */
  public record Line(int number, List<String> cells) {
    /** Cell {@code index}, or "" past the end of the record. */
    public String cell(int index) {
      return index < cells.size() ? cells.get(index) : "";
    }
  }

  /** Every record of {@code in}, the header first. */
  public static List<Line> read(Reader in) throws IOException {
    List<Line> lines = new ArrayList<>();
    try (CSVParser parser = CSVParser.parse(in, FORMAT)) {
      long start = 1;
      for (CSVRecord record : parser) {
        lines.add(new Line((int) start, record.toList()));
        start = parser.getCurrentLineNumber() + 1;
      }
    }
    return lines;
  }
}
