package io.pricepath.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class ChartsTest {
  @Test
  void aLineChartIsOneSvgElementWithItsLinesLabelsAndLegend() {
    String svg = Charts.svg(new Charts.Chart("WAPE by horizon week", "horizon week", "WAPE", false, 600, 300,
        List.of(Charts.Line.of("pricepath", new double[] {1, 2, 3}, new double[] {0.3, 0.35, 0.4}, "#1f6fb4")
                .withMarkers(null),
            Charts.Line.of("recent mean", new double[] {1, 2, 3}, new double[] {0.5, 0.5, 0.6}, "#7f7f7f").asDashed(),
            Charts.Line.of("recent mean", new double[] {1, 2}, new double[] {0.4, Double.NaN}, "#7f7f7f")
                .unlisted())));
    assertThat(svg).startsWith("<svg").endsWith("</svg>").doesNotContain("<script");
    assertThat(svg).contains("WAPE by horizon week", "horizon week", "pricepath", "recent mean");
    assertThat(svg).as("the lines in their colours").containsIgnoringCase("rgb(31,111,180)")
        .containsIgnoringCase("rgb(127,127,127)");
    assertThat(svg.split("recent mean", -1)).as("a model's second line is not listed again").hasSize(2);
  }

  @Test
  void datesAndHollowDotsAreDrawn() {
    double monday = java.time.LocalDate.of(2025, 3, 3).toEpochDay();
    String svg = Charts.svg(new Charts.Chart(null, "week", "units", true, 500, 220, List.of(
        Charts.Line.of("units sold", new double[] {monday, monday + 7, monday + 14}, new double[] {4, 6, 6}, "#111111")
            .withMarkers(new boolean[] {false, false, true}))));
    assertThat(svg).startsWith("<svg").contains(">units<").contains(">week<").contains("2025-03-");
  }

  @Test
  void aLineWithMoreXThanYIsRefused() {
    assertThatThrownBy(() -> Charts.Line.of("x", new double[] {1, 2}, new double[] {1}, "#000000"))
        .hasMessage("line x: 2 x values for 1 y values");
  }

  @Test
  void aPngIsTheSameChartDrawnAtTheScaleAsked() throws Exception {
    Charts.Chart chart = new Charts.Chart("units", "week", "units", false, 300, 200, List.of(
        Charts.Line.of("plan", new double[] {1, 2, 3}, new double[] {5, 3, 1}, "#d62728")));
    java.awt.image.BufferedImage image =
        javax.imageio.ImageIO.read(new java.io.ByteArrayInputStream(Charts.png(chart, 2)));
    assertThat(image.getWidth()).isEqualTo(600);
    assertThat(image.getHeight()).isEqualTo(400);
    boolean red = false;  // the line's colour is drawn somewhere
    for (int x = 0; x < image.getWidth() && !red; x++) {
      for (int y = 0; y < image.getHeight() && !red; y++) {
        red = image.getRGB(x, y) == (0xff000000 | 0xd62728);
      }
    }
    assertThat(red).isTrue();
  }
}
