package io.pricepath.jobs.optimize;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pricepath.jobs.config.ConfigException;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The managers' CSV read back: RFC 4180 cells, one record per article and market, every refusal with its line. */
class OverridesTest {
  static final LocalDate PLAN = LocalDate.of(2025, 3, 3);
  static final double[] LADDER = {0, 0.1, 0.2, 0.3};
  static final List<String> HEADER =
      List.of("article_id", "market", "2025-03-03", "2025-03-10", "review_reason", "run_id", "override_reason");
  /** An id a spreadsheet keeps as it is: a quote, a comma and a line break. */
  static final String ODD = "A \"1\",\nsecond line";

  @TempDir Path dir;

  static String csv(List<List<String>> rows) throws Exception {
    StringWriter out = new StringWriter();
    try (var printer = ManagerCsv.printer(out)) {
      printer.printRecord(HEADER);
      for (List<String> row : rows) {
        printer.printRecord(row);
      }
    }
    return out.toString();
  }

  @BeforeEach
  void exportingRun() throws Exception {
    Path run = Files.createDirectories(dir.resolve("runs/w1/export"));
    Files.writeString(dir.resolve("runs/w1/manifest.json"), "{\"run_id\": \"r1\"}");
    Files.writeString(run.resolve("recommendations.csv"), csv(List.of(
        List.of(ODD, "DE", "0.1", "0.2", "", "r1", ""),
        List.of("B2", "DE", "0", "0", "", "r1", ""))));
  }

  Overrides read(String text) throws Exception {
    Path edited = Files.writeString(dir.resolve("edited.csv"), text);
    return Overrides.read(edited.toString(), new Configuration(), PLAN, 2, LADDER, dir.resolve("runs").toString());
  }

  @Test
  void theExportReadsBackCellForCellAndEveryEditLocksItsWeekWithTheReason() throws Exception {
    Overrides overrides = read(csv(List.of(
        List.of(ODD, "DE", "0.1", "0.3", "", "r1", "clearance, \"old\" colour"),
        List.of("B2", "DE", "0", "0", "", "r1", ""))));
    assertThat(overrides.locked()).containsOnlyKeys(ODD + "|DE");
    assertThat(overrides.locked().get(ODD + "|DE")).containsExactly(-1, 3);
    assertThat(overrides.reasons()).containsEntry(ODD + "|DE", "clearance, \"old\" colour");
    assertThat(overrides.lockedWeeks()).isEqualTo(1);
    assertThat(overrides.lines()).containsEntry(ODD + "|DE", 2).containsEntry("B2|DE", 4);
  }

  @Test
  void aSecondRowForTheSameArticleAndMarketIsRefusedWithBothLines() {
    assertThatThrownBy(() -> read(csv(List.of(
        List.of(ODD, "DE", "0.1", "0.3", "", "r1", ""),
        List.of("B2", "DE", "0", "0", "", "r1", ""),
        List.of(ODD, "DE", "0.2", "0.3", "", "r1", "")))))
        .isInstanceOf(ConfigException.class)
        .hasMessageEndingWith("lines 2 and 5: both are article " + ODD + " in market DE (keep one row per article and "
            + "market)");
  }

  @Test
  void aRowWithACellMissingIsRefusedWithItsLine() {
    assertThatThrownBy(() -> read(csv(List.of(List.of("B2", "DE", "0", "0.1", "", "r1", "")))
        + "B2,FR,0,0.1,,r1\n"))
        .isInstanceOf(ConfigException.class)
        .hasMessageEndingWith("edited.csv line 3: 6 cells where the header has 7 (a cell with a comma, a quote or a "
            + "line break must be quoted; keep the exported columns)");
  }

  @Test
  void aPercentOrAnOffLadderDiscountNamesTheLineAndColumn() {
    assertThatThrownBy(() -> read(csv(List.of(List.of("B2", "DE", "30%", "0", "", "r1", "")))))
        .hasMessageContaining("line 2: column 2025-03-03 is 30%; discounts are fractions of the black price");
    assertThatThrownBy(() -> read(csv(List.of(List.of("B2", "DE", "0.25", "0", "", "r1", "")))))
        .hasMessageContaining("line 2: column 2025-03-03 is 0.25, not on the discount ladder");
  }

  /** One kind of bad overrides file: its text, and the exact message (null: read without an error). */
  record Kind(String name, String text, String message) {}

  static List<Kind> kinds() throws Exception {
    String file = "edited.csv";
    List<String> head = HEADER;
    return List.of(
        new Kind("an empty file", "", "the file is empty (expected the header of the exported CSV)"),
        new Kind("the header only", csv(List.of()), null),
        new Kind("a formula a spreadsheet kept", csv(List.of(List.of("B2", "DE", "=0.1+0.2", "0", "", "r1", ""))),
            "line 2: column 2025-03-03 is \"=0.1+0.2\", not a discount (write a fraction such as 0.3, or leave the cell "
                + "empty)"),
        new Kind("a date a spreadsheet made of a discount", csv(List.of(List.of("B2", "DE", "03/01/2025", "0", "", "r1",
            ""))), "line 2: column 2025-03-03 is \"03/01/2025\", not a discount (write a fraction such as 0.3, or leave "
                + "the cell empty)"),
        new Kind("a decimal comma", csv(List.of(List.of("B2", "DE", "0,3", "0", "", "r1", ""))),
            "line 2: column 2025-03-03 is \"0,3\", not a discount (write a fraction such as 0.3, or leave the cell "
                + "empty)"),
        new Kind("a discount in percent", csv(List.of(List.of("B2", "DE", "30%", "0", "", "r1", ""))),
            "line 2: column 2025-03-03 is 30%; discounts are fractions of the black price (write 0.3 for 30.0 %)"),
        new Kind("a discount off the ladder", csv(List.of(List.of("B2", "DE", "0.25", "0", "", "r1", ""))),
            "line 2: column 2025-03-03 is 0.25, not on the discount ladder [0.0, 0.1, 0.2, 0.3] (use one of those)"),
        new Kind("a row with a cell missing", csv(List.of()) + "B2,DE,0,0.1,,r1\n",
            "line 2: 6 cells where the header has 7 (a cell with a comma, a quote or a line break must be quoted; keep "
                + "the exported columns)"),
        new Kind("a row twice", csv(List.of(List.of("B2", "DE", "0.1", "0", "", "r1", ""),
            List.of("B2", "DE", "0.2", "0", "", "r1", ""))),
            "lines 2 and 3: both are article B2 in market DE (keep one row per article and market)"),
        new Kind("a column of the header removed", String.join(",", head.subList(0, 6)) + "\nB2,DE,0,0,,r1\n",
            "column override_reason is missing (keep the header of the exported CSV)"),
        new Kind("another run's file", csv(List.of(List.of("B2", "DE", "0.1", "0", "", "r9", ""))),
            "it was exported by run r9, whose export is not in a run folder under {runs} (run with --out beside that "
                + "run's folder, or set overrides-base to the folder holding it)"),
        new Kind("an edit in a week outside the plan", "article_id,market,2025-02-24,2025-03-03,review_reason,run_id,"
            + "override_reason\nB2,DE,0.1,0,,r1,\n",
            "line 2: column 2025-02-24 is edited, but week 2025-02-24 is not in this run's plan (the 2 weeks from "
                + "2025-03-03); edit the export of the run that plans it, or move the edit to a week of this plan"));
  }

  @org.junit.jupiter.api.TestFactory
  java.util.stream.Stream<org.junit.jupiter.api.DynamicTest> eachBadFileIsRefusedWithItsLineAndNothingImported()
      throws Exception {
    return kinds().stream().map(k -> org.junit.jupiter.api.DynamicTest.dynamicTest(k.name(), () -> {
      if (k.message() == null) {
        assertThat(read(k.text()).locked()).isEmpty();
        return;
      }
      String prefix = "Cannot read overrides " + dir.resolve("edited.csv") + (k.message().startsWith("line") ? " " : ": ");
      assertThatThrownBy(() -> read(k.text())).isInstanceOf(ConfigException.class)
          .hasMessage(prefix + k.message().replace("{runs}", dir.resolve("runs").toString()));
    }));
  }
}
