package io.pricepath.notebook;

import io.pricepath.report.Charts;
import io.pricepath.report.Html;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.dflib.jjava.jupyter.kernel.display.DisplayData;

/**
 * Rich output for notebook cells: tables as HTML, charts as PNG (drawn by {@link Charts}, as every
 * pricepath page), each with a plain-text form. Inside the pricepath kernel the output goes to the
 * cell; anywhere else (a test, a script) the text form goes to standard output.
 */
public final class Show {
  private Show() {}

  /** The first {@code maxRows} rows of {@code rows} as a table. */
  public static void table(Dataset<Row> rows, int maxRows) {
    List<Row> head = rows.limit(maxRows + 1).collectAsList();
    table(rows.columns(), head.subList(0, Math.min(maxRows, head.size())), head.size() > maxRows);
  }

  /** {@code rows} (already collected) under {@code columns}. */
  public static void table(String[] columns, List<Row> rows, boolean more) {
    StringBuilder html = new StringBuilder("<table><thead><tr>");
    StringBuilder text = new StringBuilder(String.join("\t", columns)).append('\n');
    for (String c : columns) {
      html.append("<th>").append(Html.escape(c)).append("</th>");
    }
    html.append("</tr></thead><tbody>");
    for (Row r : rows) {
      html.append("<tr>");
      for (int i = 0; i < columns.length; i++) {
        String cell = format(r.isNullAt(i) ? null : r.get(i));
        html.append(r.get(i) instanceof Number ? "<td style='text-align:right'>" : "<td>")
            .append(Html.escape(cell)).append("</td>");
        text.append(i == 0 ? "" : "\t").append(cell);
      }
      html.append("</tr>");
      text.append('\n');
    }
    html.append("</tbody></table>");
    if (more) {
      html.append("<p><i>(more rows not shown)</i></p>");
      text.append("…\n");
    }
    show(text.toString(), "text/html", html.toString());
  }

  /**
   * A chart, as a PNG drawn at twice its size and shown at its size (Jupyter's HTML export would
   * strip an inline SVG's elements).
   */
  public static void chart(Charts.Chart chart) {
    String text = "[chart: " + (chart.title() == null ? chart.yLabel() + " by " + chart.xLabel() : chart.title()) + "]";
    var kernel = Kernel.running();
    if (kernel.isEmpty()) {
      System.out.println(text);
      return;
    }
    DisplayData data = new DisplayData(text);
    data.putData("image/png", Base64.getEncoder().encodeToString(Charts.png(chart, 2)));
    data.putMetaData("image/png", Map.of("width", chart.width(), "height", chart.height()));
    kernel.get().display(data);
  }

  /** An HTML fragment. */
  public static void html(String html, String asText) {
    show(asText, "text/html", html);
  }

  /** A heading and a line of text, in Markdown. */
  public static void markdown(String markdown) {
    show(markdown, "text/markdown", markdown);
  }

  private static void show(String text, String mime, String rich) {
    var kernel = Kernel.running();
    if (kernel.isEmpty()) {
      System.out.println(text);
      return;
    }
    DisplayData data = new DisplayData(text);
    data.putData(mime, rich);
    kernel.get().display(data);
  }

  private static String format(Object value) {
    if (value == null) {
      return "";
    }
    if (value instanceof Double d) {
      double a = Math.abs(d);
      return a != 0 && (a < 1e-3 || a >= 1e9) ? String.format("%.3g", d)
          : a >= 100 ? String.format("%,.0f", d) : String.format("%.4g", d);
    }
    return value.toString();
  }
}
