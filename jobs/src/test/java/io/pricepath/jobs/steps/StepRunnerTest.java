package io.pricepath.jobs.steps;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StepRunnerTest {
  @TempDir Path dir;
  FileSystem fs;
  org.apache.hadoop.fs.Path out;
  ByteArrayOutputStream console = new ByteArrayOutputStream();

  @BeforeEach
  void setUp() throws Exception {
    fs = FileSystem.getLocal(new Configuration());
    out = new org.apache.hadoop.fs.Path(dir.toUri());
  }

  StepRunner runner() throws Exception {
    return new StepRunner(fs, out, Manifest.open(fs, out), new Progress(new PrintStream(console), null, 0), 1);
  }

  static StepRunner.Body writing(String text, AtomicInteger calls) {
    return ctx -> {
      calls.incrementAndGet();
      Path file = Path.of(java.net.URI.create(ctx.staging("result") + "/value.txt").getPath());
      Files.createDirectories(file.getParent());
      Files.writeString(file, text);
      return JsonNodeFactory.instance.objectNode().put("text", text);
    };
  }

  @Test
  void aStepCommitsItsOutputAndIsReusedWithTheSameFingerprint() throws Exception {
    AtomicInteger calls = new AtomicInteger();
    StepRunner.Outcome first = runner().run("make", "fp1", List.of("result"), writing("one", calls));
    assertThat(first.reused()).isFalse();
    assertThat(Files.readString(dir.resolve("result/value.txt"))).isEqualTo("one");
    assertThat(dir.resolve("_staging/make-fp1")).doesNotExist();
    assertThat(Files.readString(dir.resolve("manifest.json"))).as("the driver's heap while the step ran")
        .containsPattern("\"driver_peak_heap_mb\" ?: ?[1-9]");

    StepRunner.Outcome again = runner().run("make", "fp1", List.of("result"), writing("two", calls));
    assertThat(again.reused()).isTrue();
    assertThat(again.result().path("text").asText()).isEqualTo("one");
    assertThat(calls).hasValue(1);
    assertThat(console.toString()).contains("[1/1] make: reused (fingerprint fp1");
  }

  @Test
  void aNewFingerprintReplacesTheOutput() throws Exception {
    AtomicInteger calls = new AtomicInteger();
    runner().run("make", "fp1", List.of("result"), writing("one", calls));
    StepRunner.Outcome changed = runner().run("make", "fp2", List.of("result"), writing("two", calls));
    assertThat(changed.reused()).isFalse();
    assertThat(Files.readString(dir.resolve("result/value.txt"))).isEqualTo("two");
  }

  @Test
  void aFailedStepLeavesThePreviousOutputAndIsRunAgainNextTime() throws Exception {
    AtomicInteger calls = new AtomicInteger();
    runner().run("make", "fp1", List.of("result"), writing("one", calls));
    assertThatThrownBy(() -> runner().run("make", "fp2", List.of("result"), ctx -> {
      writing("half", calls).run(ctx);
      throw new IllegalStateException("disk full");
    })).hasMessage("disk full");
    assertThat(Files.readString(dir.resolve("result/value.txt"))).isEqualTo("one");
    Manifest manifest = Manifest.open(fs, out);
    assertThat(manifest.step("make").path("status").asText()).isEqualTo("failed");
    assertThat(manifest.step("make").path("error").asText()).isEqualTo("disk full");

    StepRunner.Outcome retried = runner().run("make", "fp2", List.of("result"), writing("two", calls));
    assertThat(retried.reused()).isFalse();
    assertThat(Files.readString(dir.resolve("result/value.txt"))).isEqualTo("two");
  }

  @Test
  void anEarlierRunsStepsSayStaleUntilThisRunReusesThem() throws Exception {
    AtomicInteger calls = new AtomicInteger();
    StepRunner earlier = runner();
    earlier.run("make", "fp1", List.of("result"), writing("one", calls));
    Manifest first = Manifest.open(fs, out);
    first.root().put("run_id", "2026-01-05-aaaa");
    first.save();

    // a later run opens the folder, then fails before it reaches the step
    Manifest later = Manifest.open(fs, out);
    later.markStale();
    later.save();
    var step = Manifest.open(fs, out).step("make");
    assertThat(step.path("status").asText()).isEqualTo("stale");
    assertThat(step.path("stale").asText()).contains("earlier run (run 2026-01-05-aaaa)");

    // a run that gets there with the same fingerprint reuses it and marks it done again
    StepRunner.Outcome reused = runner().run("make", "fp1", List.of("result"), writing("two", calls));
    assertThat(reused.reused()).isTrue();
    assertThat(calls).hasValue(1);
    step = Manifest.open(fs, out).step("make");
    assertThat(step.path("status").asText()).isEqualTo("done");
    assertThat(step.has("stale")).isFalse();
  }

  @Test
  void anOutputDeletedByHandIsRebuilt() throws Exception {
    AtomicInteger calls = new AtomicInteger();
    runner().run("make", "fp1", List.of("result"), writing("one", calls));
    fs.delete(new org.apache.hadoop.fs.Path(out, "result"), true);
    assertThat(runner().run("make", "fp1", List.of("result"), writing("one", calls)).reused()).isFalse();
    assertThat(calls).hasValue(2);
  }

  @Test
  void fingerprintsDependOnContentNotOnFileNames() throws Exception {
    Path a = dir.resolve("a/weekly/week=2025-01-06");
    Path b = dir.resolve("b/weekly/week=2025-01-06");
    Files.createDirectories(a);
    Files.createDirectories(b);
    Files.writeString(a.resolve("part-0000-1111.parquet"), "same bytes");
    Files.writeString(b.resolve("part-0000-2222.parquet"), "same bytes");
    Configuration hadoop = new Configuration();
    String fa = Fingerprints.ofDataset(dir.resolve("a").toString(), hadoop);
    assertThat(Fingerprints.ofDataset(dir.resolve("b").toString(), hadoop)).isEqualTo(fa);
    Files.writeString(b.resolve("part-0000-2222.parquet"), "other bytes");
    assertThat(Fingerprints.ofDataset(dir.resolve("b").toString(), hadoop)).isNotEqualTo(fa);
  }
}
