package io.pricepath.report;

import java.awt.BasicStroke;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import javax.imageio.ImageIO;
import java.awt.Color;
import java.awt.Font;
import java.awt.Rectangle;
import java.util.ArrayList;
import java.util.List;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.DateAxis;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.chart.title.TextTitle;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;
import org.jfree.svg.SVGGraphics2D;

/**
 * The charts of every page pricepath writes (backtest and policy-backtest reports, notebooks): line
 * charts drawn by JFreeChart into SVG (JFreeSVG), returned as an {@code <svg>} element to put inline
 * in a self-contained HTML page. One place decides how a chart looks; pages say only what to draw.
 */
public final class Charts {
  static {
    if (System.getProperty("java.awt.headless") == null) {
      System.setProperty("java.awt.headless", "true"); // drawn into SVG: no display needed
    }
    // rotated labels (the y axis) as SVG text a reader can select and search, not as glyph outlines
    org.jfree.chart.text.TextUtils.setUseDrawRotatedStringWorkaround(false);
  }

  private Charts() {}

  /**
   * One line of a chart.
   *
   * @param name its name in the legend
   * @param x x values (epoch days when the chart's x axis is dates)
   * @param y y values, one per x; NaN leaves a gap
   * @param color CSS hex colour, e.g. {@code #1f6fb4}
   * @param dashed drawn dashed
   * @param markers a dot at every point
   * @param hollow which dots are drawn hollow (null: none), e.g. sold-out weeks
   * @param inLegend listed in the legend (false for the second and later lines of one model)
   */
  public record Line(String name, double[] x, double[] y, String color, boolean dashed, boolean markers,
      boolean[] hollow, boolean inLegend) {
    public Line {
      if (x.length != y.length) {
        throw new IllegalArgumentException("line %s: %d x values for %d y values".formatted(name, x.length, y.length));
      }
    }

    /** A solid line in the legend, without dots. */
    public static Line of(String name, double[] x, double[] y, String color) {
      return new Line(name, x, y, color, false, false, null, true);
    }

    public Line asDashed() {
      return new Line(name, x, y, color, true, markers, hollow, inLegend);
    }

    public Line withMarkers(boolean[] hollowOnes) {
      return new Line(name, x, y, color, dashed, true, hollowOnes, inLegend);
    }

    public Line unlisted() {
      return new Line(name, x, y, color, dashed, markers, hollow, false);
    }
  }

  /**
   * A line chart.
   *
   * @param title drawn above it (null: none)
   * @param xLabel x axis label
   * @param yLabel y axis label
   * @param dates whether x values are epoch days, drawn as dates
   * @param width width in pixels
   * @param height height in pixels
   * @param lines what to draw
   */
  public record Chart(String title, String xLabel, String yLabel, boolean dates, int width, int height,
      List<Line> lines) {}

  /** {@code chart} as an {@code <svg>} element, for pages. */
  public static String svg(Chart chart) {
    SVGGraphics2D g = new SVGGraphics2D(chart.width(), chart.height());
    jfree(chart).draw(g, new Rectangle(0, 0, chart.width(), chart.height()));
    return g.getSVGElement();
  }

  /**
   * {@code chart} as a PNG drawn at {@code scale} times its size (2 for sharp lines on high-density
   * screens), for notebooks: Jupyter's HTML export strips the elements of inline SVG.
   */
  public static byte[] png(Chart chart, int scale) {
    BufferedImage image = new BufferedImage(chart.width() * scale, chart.height() * scale, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = image.createGraphics();
    try {
      g.scale(scale, scale);
      jfree(chart).draw(g, new Rectangle(0, 0, chart.width(), chart.height()));
    } finally {
      g.dispose();
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try {
      ImageIO.write(image, "png", out);
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot encode a chart as PNG", e);  // in memory: does not happen
    }
    return out.toByteArray();
  }

  private static JFreeChart jfree(Chart chart) {
    XYSeriesCollection data = new XYSeriesCollection();
    List<Line> lines = chart.lines();
    for (int i = 0; i < lines.size(); i++) {
      Line line = lines.get(i);
      // series keys are unique; the legend shows the name of the listed ones
      XYSeries series = new XYSeries(line.inLegend() ? line.name() : line.name() + " #" + i, false, true);
      for (int k = 0; k < line.x().length; k++) {
        series.add(chart.dates() ? line.x()[k] * 86_400_000d : line.x()[k], Double.isNaN(line.y()[k]) ? null
            : line.y()[k]);
      }
      data.addSeries(series);
    }
    NumberAxis y = new NumberAxis(chart.yLabel());
    y.setAutoRangeIncludesZero(true);
    XYPlot plot = new XYPlot(data, chart.dates() ? dateAxis(chart.xLabel()) : axis(chart.xLabel()), y,
        renderer(lines));
    plot.setBackgroundPaint(Color.WHITE);
    plot.setDomainGridlinePaint(new Color(0xe5e5e5));
    plot.setRangeGridlinePaint(new Color(0xe5e5e5));
    plot.setOutlineVisible(false);
    boolean legend = lines.stream().filter(Line::inLegend).count() > 1;
    JFreeChart jfree = new JFreeChart(null, new Font(Font.SANS_SERIF, Font.PLAIN, 12), plot, legend);
    if (chart.title() != null) {
      jfree.setTitle(new TextTitle(chart.title(), new Font(Font.SANS_SERIF, Font.BOLD, 13)));
    }
    jfree.setBackgroundPaint(Color.WHITE);
    jfree.setAntiAlias(true);
    return jfree;
  }

  /** Weeks named by their Monday, in UTC (x values are epoch days). */
  private static DateAxis dateAxis(String label) {
    DateAxis axis = new DateAxis(label, java.util.TimeZone.getTimeZone("UTC"), java.util.Locale.ROOT);
    java.text.SimpleDateFormat format = new java.text.SimpleDateFormat("yyyy-MM-dd", java.util.Locale.ROOT);
    format.setTimeZone(java.util.TimeZone.getTimeZone("UTC"));
    axis.setDateFormatOverride(format);
    return axis;
  }

  private static NumberAxis axis(String label) {
    NumberAxis axis = new NumberAxis(label);
    axis.setAutoRangeIncludesZero(false);
    return axis;
  }

  private static XYLineAndShapeRenderer renderer(List<Line> lines) {
    List<boolean[]> hollow = new ArrayList<>();
    lines.forEach(l -> hollow.add(l.hollow()));
    XYLineAndShapeRenderer renderer = new XYLineAndShapeRenderer(true, false) {
      @Override
      public boolean getItemShapeFilled(int series, int item) {
        boolean[] h = hollow.get(series);
        return h == null || item >= h.length || !h[item];
      }
    };
    renderer.setUseOutlinePaint(false);
    renderer.setDrawOutlines(true);
    for (int i = 0; i < lines.size(); i++) {
      Line line = lines.get(i);
      renderer.setSeriesPaint(i, Color.decode(line.color()));
      renderer.setSeriesStroke(i, line.dashed()
          ? new BasicStroke(1.5f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_ROUND, 10f, new float[] {4f, 3f}, 0f)
          : new BasicStroke(2f));
      renderer.setSeriesShapesVisible(i, line.markers());
      renderer.setSeriesShape(i, new java.awt.geom.Ellipse2D.Double(-3, -3, 6, 6));
      renderer.setSeriesVisibleInLegend(i, line.inLegend());
    }
    return renderer;
  }
}
