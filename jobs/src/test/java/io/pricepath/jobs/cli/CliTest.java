package io.pricepath.jobs.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.pricepath.contract.SparkSessions;
import io.pricepath.contract.TinyDataset;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What a user sees from the command line when something is wrong: a sentence and an exit code, no stack trace. */
class CliTest {
  @TempDir Path dir;

  record Result(int code, String out, String err) {}

  static Result cli(String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    PrintStream stdout = System.out;
    try (PrintStream o = new PrintStream(out, true, StandardCharsets.UTF_8);
        PrintStream e = new PrintStream(err, true, StandardCharsets.UTF_8)) {
      System.setOut(o);
      int code = Cli.execute(args, o, e);
      return new Result(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    } finally {
      System.setOut(stdout);
    }
  }

  @Test
  void helpListsEveryJob() {
    Result help = cli("--help");
    assertThat(help.code).isZero();
    assertThat(help.out).contains("demo", "generate", "validate", "run", "simulate", "benchmark");
  }

  @Test
  void aMissingDatasetRootIsABadInputNotACrash() {
    String missing = dir.resolve("nothing").toString();
    Result run = cli("run", "--data", missing, "--out", dir.resolve("out").toString(), "--set", "spark.master=local[1]");
    assertThat(run.code).isEqualTo(2);
    assertThat(run.err).isEqualTo("error: Cannot read dataset " + missing
        + ": no such folder (pass --data with a dataset root, e.g. one written by pricepath generate)\n");
  }

  @Test
  void aBadConfigValueNamesTheKey() {
    Result run = cli("run", "--data", dir.toString(), "--out", dir.toString(), "--set", "plan.horizon=0");
    assertThat(run.code).isEqualTo(2);
    assertThat(run.err).isEqualTo("error: Cannot use config plan.horizon = 0: must be between 1 and 104 weeks\n");
  }

  @Test
  void validateReportsTheProblemAndExitsWithTwo() {
    Path root = dir.resolve("bad");
    SparkSession spark = SparkSessions.local("cli-test", 1, 2);
    List<Row> weekly = TinyDataset.with(TinyDataset.weekly(), TinyDataset.WEEKLY, 0, "units_sold", -3L);
    TinyDataset.writeClean(spark, root);
    TinyDataset.write(spark, root, "weekly", TinyDataset.WEEKLY, weekly);
    Result validate = cli("validate", "--data", root.toString(), "--master", "local[1]");
    assertThat(validate.code).as(validate.err).isEqualTo(2);
    assertThat(validate.out).contains(
        "weekly.units_sold: 1 row has negative units_sold (examples: A1|DE|2025-03-03); units_sold must be >= 0 — "
            + "fix the source extract or quarantine this row with --quarantine DIR");
    assertThat(validate.err).isEqualTo("error: Cannot use dataset " + root
        + ": 1 fatal problem (listed above); fix it, or set bad rows aside with --quarantine DIR\n");
    assertThat(validate.out + validate.err).doesNotContain("\tat ");
    assertThat(spark.sparkContext().isStopped()).as("the command leaves a session it did not start running").isFalse();
    spark.stop();
  }
  @Test
  void pathsAndKeysAreCheckedBeforeAnySparkWork() throws Exception {
    Path data = java.nio.file.Files.createDirectories(dir.resolve("data"));
    Path file = java.nio.file.Files.writeString(dir.resolve("a-file"), "x");
    Result outIsAFile = cli("run", "--data", data.toString(), "--out", file.toString());
    assertThat(outIsAFile.code).isEqualTo(2);
    assertThat(outIsAFile.err).isEqualTo("error: Cannot write into --out " + file
        + ": it is a file (pass a folder, or a path where one can be made)\n");
    Result underAFile = cli("run", "--data", data.toString(), "--out", file.resolve("run").toString());
    assertThat(underAFile.err).isEqualTo("error: Cannot write into --out " + file.resolve("run") + ": " + file
        + " is a file (pass a folder, or a path where one can be made)\n");
    Result noOverrides = cli("run", "--data", data.toString(), "--out", dir.resolve("out").toString(),
        "--overrides", dir.resolve("edited.csv").toString());
    assertThat(noOverrides.code).isEqualTo(2);
    assertThat(noOverrides.err).isEqualTo("error: Cannot read --overrides " + dir.resolve("edited.csv")
        + ": no such file\n");
    Result typo = cli("run", "--data", data.toString(), "--out", dir.resolve("out").toString(),
        "--set", "rules.max-discont=0.5");
    assertThat(typo.code).isEqualTo(2);
    assertThat(typo.err).startsWith("error: Cannot use --set rules.max-discont=0.5: no setting is called "
        + "rules.max-discont; did you mean rules.max-discount?");
    Result daily = cli("daily", "--data", data.toString(), "--weekly", dir.resolve("w1").toString(), "--out",
        dir.resolve("d1").toString());
    assertThat(daily.err).isEqualTo("error: Cannot read weekly run " + dir.resolve("w1")
        + ": no such folder (pass --weekly with the folder of the week's pricepath run)\n");
    Result dailySet = cli("daily", "--data", data.toString(), "--weekly", data.toString(), "--out",
        dir.resolve("d1").toString(), "--set", "plan.horizon=4");
    assertThat(dailySet.code).isEqualTo(2);
    assertThat(dailySet.err).startsWith("error: Cannot use --set plan.horizon=4 with daily:");
    assertThat(java.nio.file.Files.exists(dir.resolve("out"))).isFalse();
    assertThat(java.nio.file.Files.exists(dir.resolve("d1"))).isFalse();
  }
}
