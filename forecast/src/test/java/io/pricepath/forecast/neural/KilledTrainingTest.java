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
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A training killed with SIGKILL in the middle of an epoch, in a JVM of its own, resumes from its
 * last checkpoint and ends with the weights of a training never stopped (same seed).
 */
class KilledTrainingTest {
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

  @Test
  void aTrainingKilledMidEpochResumesToTheWeightsOfOneNeverStopped() throws Exception {
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

    Process second = start(checkpoints, weights);
    String output = new String(second.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(second.waitFor(120, TimeUnit.SECONDS)).isTrue();
    assertThat(second.exitValue()).as(output).isZero();
    assertThat(output).containsPattern("resuming after epoch [23] from");
    assertThat(output).doesNotContain("epoch 1/");

    NetworkTraining.Result never = TrainingProcess.train(null, line -> {});
    assertThat(Files.readAllBytes(weights)).isEqualTo(never.weights().toBytes());
  }
}
