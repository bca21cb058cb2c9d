package io.pricepath.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Every notebook in notebooks-java/, executed headless by Jupyter (Debian's nbconvert) on the
 * pricepath kernel as a user runs it ({@code bin/pricepath-notebook execute}), and every page a
 * person opens — the run report, a backtest's, a policy backtest's and the executed notebooks —
 * loaded in a real headless Chromium that must report no error; screenshots go to
 * {@code target/screenshots/}. Runs with {@code -Pnotebooks} (Jupyter and Chromium from Debian,
 * which {@code .ci/run} installs): ~5 minutes on 2 cores.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class NotebooksIT {
  static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
  static final Path DIR = Path.of("target/notebooks-it").toAbsolutePath();
  static final Path SHOTS = Path.of("target/screenshots").toAbsolutePath();
  static final ObjectMapper JSON = new ObjectMapper();
  static final Path DATA = DIR.resolve("data");
  static final Path RUN = DIR.resolve("run");
  static final Path EXPERIMENT = DIR.resolve("experiment");
  static final Path POLICY = DIR.resolve("policy");

  @BeforeAll
  static void marketAndWeeklyRun() throws Exception {
    delete(DIR);
    Files.createDirectories(DIR);
    pricepath("generate", "--out", DATA.toString(), "--articles", "40", "--markets", "1", "--weeks", "80");
    // the notebooks are under test here, not the model against its baselines (ModelApprovalIT)
    pricepath("run", "--data", DATA.toString(), "--out", RUN.toString(), "--set", "approval.baselines=[]",
        "--set", "approval.backtest-origins=1", "--set", "forecast.rounds=40");
  }

  @Test
  @Order(1)
  void theExperimentNotebookTrainsAndBacktestsTwiceAndComparesThem() throws Exception {
    JsonNode nb = execute("experiment", Map.of("PRICEPATH_DATA", DATA.toString(),
        "PRICEPATH_EXPERIMENT_OUT", EXPERIMENT.toString(), "PRICEPATH_EXPERIMENT", "forecast.max-depth=3"));
    assertThat(EXPERIMENT.resolve("defaults/metrics.json")).exists();
    assertThat(EXPERIMENT.resolve("changed/metrics.json")).exists();
    assertThat(outputs(nb, "image/png")).hasSize(1);
    assertThat(outputs(nb, "text/html")).singleElement().asString()
        .contains("<table>", "pricepath (defaults)", "pricepath (forecast.max-depth=3)", "recent_mean");
    assertThat(String.join("\n", outputs(nb, "text/markdown"))).contains("moves demand WAPE by");
  }

  @Test
  @Order(2)
  void theCompareNotebookSetsTwoBacktestsSideBySide() throws Exception {
    JsonNode nb = execute("compare-backtests", Map.of("PRICEPATH_BACKTEST_A", EXPERIMENT.resolve("defaults").toString(),
        "PRICEPATH_BACKTEST_B", EXPERIMENT.resolve("changed").toString()));
    assertThat(outputs(nb, "image/png")).as("WAPE by weeks ahead and by origin").hasSize(2);
    assertThat(outputs(nb, "text/html")).as("overall, by discount depth, by article").hasSize(3);
    assertThat(String.join("\n", outputs(nb, "text/markdown"))).containsPattern("\\*\\*\\d+\\*\\* rows in both");
  }

  @Test
  @Order(3)
  void theExploreNotebookDrawsTheWeeklyRun() throws Exception {
    JsonNode nb = execute("explore-run", Map.of("PRICEPATH_RUN", RUN.toString()));
    assertThat(outputs(nb, "image/png")).as("rate, units, mix and six demand curves").hasSize(9);
    assertThat(outputs(nb, "text/html")).singleElement().asString().contains("discount_rate", "profit");
    assertThat(String.join("\n", outputs(nb, "text/markdown"))).contains("status **done**");
  }

  @Test
  @Order(4)
  void everyPageOpensInABrowserWithoutAnErrorAndShowsItsCharts() throws Exception {
    pricepath("policy-backtest", "--data", DATA.toString(), "--out", POLICY.toString(), "--weeks", "2");
    record Page(String name, Path file, int minCharts, List<String> shows) {}
    List<Page> pages = List.of(
        new Page("run-report", RUN.resolve("report.html"), 4,
            List.of("Markets", "Company-wide targets", "Model", "Week by week", "To review")),
        new Page("backtest", EXPERIMENT.resolve("defaults/report.html"), 3, List.of("recent_mean")),
        new Page("policy-backtest", POLICY.resolve("report.html"), 1, List.of("pricepath", "oracle", "rule-ladder")),
        new Page("notebook-experiment", DIR.resolve("experiment.html"), 1, List.of("moves demand WAPE")),
        new Page("notebook-compare-backtests", DIR.resolve("compare-backtests.html"), 2, List.of("rows in both")),
        new Page("notebook-explore-run", DIR.resolve("explore-run.html"), 9, List.of("First-week discount mix")));
    try (Browser browser = new Browser(DIR.resolve("chromium-profile"))) {
      for (Page page : pages) {
        Browser.Visit visit = browser.open(page.file(), SHOTS.resolve(page.name() + ".png"));
        assertThat(visit.errors()).as(page.name() + ": console errors, exceptions, failed loads").isEmpty();
        assertThat(visit.charts()).as(page.name() + ": charts drawn").isGreaterThanOrEqualTo(page.minCharts());
        assertThat(visit.text()).as(page.name()).contains(page.shows());
        assertThat(Files.size(visit.screenshot())).as(page.name() + ": screenshot").isGreaterThan(10_000);
      }
    }
  }

  /** Runs {@code bin/pricepath-notebook execute}; returns the executed notebook, checked for cell errors. */
  static JsonNode execute(String name, Map<String, String> env) throws Exception {
    Path html = DIR.resolve(name + ".html");
    run(List.of(ROOT.resolve("bin/pricepath-notebook").toString(), "execute",
        ROOT.resolve("notebooks-java/" + name + ".ipynb").toString(), html.toString()), env, "notebook-" + name);
    JsonNode nb = JSON.readTree(DIR.resolve(name + ".ipynb").toFile());
    for (JsonNode cell : nb.path("cells")) {
      for (JsonNode out : cell.path("outputs")) {
        assertThat(out.path("output_type").asText()).as(name + ": " + out).isNotEqualTo("error");
      }
    }
    return nb;
  }

  /** The {@code mime} data of every display output of {@code nb}, in order. */
  static List<String> outputs(JsonNode nb, String mime) {
    List<String> found = new ArrayList<>();
    for (JsonNode cell : nb.path("cells")) {
      for (JsonNode out : cell.path("outputs")) {
        JsonNode data = out.path("data").path(mime);
        if (!data.isMissingNode()) {
          found.add(data.isArray() ? String.join("", JSON.convertValue(data, String[].class)) : data.asText());
        }
      }
    }
    return found;
  }

  static void pricepath(String... args) throws Exception {
    List<String> command = new ArrayList<>(List.of(ROOT.resolve("bin/pricepath").toString()));
    command.addAll(List.of(args));
    run(command, Map.of("PRICEPATH_HEAP", "3g"), args[0]);
  }

  static void run(List<String> command, Map<String, String> env, String logName) throws Exception {
    Path log = DIR.resolve(logName + ".log");
    ProcessBuilder builder = new ProcessBuilder(command).directory(DIR.toFile()).redirectErrorStream(true)
        .redirectOutput(log.toFile());
    builder.environment().put("SPARK_LOCAL_IP", "127.0.0.1");
    builder.environment().put("JUPYTER_DATA_DIR", DIR.resolve("jupyter").toString());  // the kernel this checkout built
    builder.environment().put("PRICEPATH_HEAP", "3g");
    builder.environment().putAll(env);
    Process process = builder.start();
    if (!process.waitFor(10, TimeUnit.MINUTES)) {
      process.destroyForcibly();
      throw new AssertionError(logName + " did not finish in 10 minutes: " + tail(log));
    }
    assertThat(process.exitValue()).as(logName + ": " + tail(log)).isZero();
  }

  static String tail(Path log) throws IOException {
    List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
    return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
  }

  static void delete(Path dir) throws IOException {
    if (Files.exists(dir)) {
      try (var paths = Files.walk(dir)) {
        paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
  }
}
