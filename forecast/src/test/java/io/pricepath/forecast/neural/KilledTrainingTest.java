package io.pricepath.forecast.neural;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A training killed with SIGKILL in the middle of an epoch, in a JVM of its own, resumes in
 * another from its last checkpoint — no epoch before it trained again — and ends with the weights,
 * bit for bit, of a training never stopped (a third JVM, same seed).
 */
class KilledTrainingTest {
  private static final Pattern LOSS = Pattern.compile("epoch 8/8: .*validation loss (-?[0-9.]+)");

  @TempDir Path dir;

  private Process start(Path checkpoints, Path weights) throws Exception {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    ProcessBuilder pb =
        new ProcessBuilder(java, "-Xmx1g", "-Dai.djl.offline=true", "-cp",
            System.getProperty("java.class.path"), TrainingProcess.class.getName(),
            checkpoints.toString(), weights.toString());
    pb.environment().put("OMP_WAIT_POLICY", "PASSIVE");
    pb.redirectErrorStream(true);
    return pb.start();
  }

  private String finish(Process p) throws Exception {
    String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as(output).isZero();
    return output;
  }

  private static double lastLoss(String output) {
    Matcher m = LOSS.matcher(output);
    assertThat(m.find()).as(output).isTrue();
    return Double.parseDouble(m.group(1));
  }

  @Test
  void aTrainingKilledMidEpochResumesToTheWeightsOfOneNeverStopped()
      throws Exception {
    Path checkpoints = dir.resolve("checkpoints");
    Path weights = dir.resolve("weights.bin");
    Process first = start(checkpoints, weights);
    List<String> lines = new ArrayList<>();
    try (BufferedReader out =
        new BufferedReader(new InputStreamReader(first.getInputStream(), StandardCharsets.UTF_8))) {
      String line;
      while ((line = out.readLine()) != null) {
        lines.add(line);
        if (line.contains("epoch 2/")) {
          Thread.sleep(150); // into epoch 3
          first.destroyForcibly(); // SIGKILL: no shutdown hook, no finally
          break;
        }
      }
    }
    assertThat(first.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(first.exitValue()).as("killed: %s", lines).isEqualTo(137);
    assertThat(weights).doesNotExist();
    try (var files = Files.list(checkpoints)) {
      assertThat(files.filter(f -> f.toString().endsWith(".ckpt")).count()).isEqualTo(1);
    }

    String resumed = finish(start(checkpoints, weights));
    assertThat(resumed).containsPattern("resuming after epoch [23] from");
    assertThat(resumed).doesNotContain("epoch 1/").doesNotContain("epoch 2/");
    assertThat(weights).exists();
    try (var files = Files.list(checkpoints)) {
      assertThat(files.count()).as("the checkpoint goes once the training is done").isZero();
    }

    String never = finish(start(dir.resolve("other"), dir.resolve("never.bin")));
    assertThat(lastLoss(resumed)).isEqualTo(lastLoss(never));
    assertThat(Files.readAllBytes(weights)).isEqualTo(Files.readAllBytes(dir.resolve("never.bin")));
  }
}
