package io.pricepath.jobs.steps;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RunLockTest {
  @TempDir Path dir;

  FileSystem fs() throws Exception {
    return FileSystem.getLocal(new Configuration());
  }

  org.apache.hadoop.fs.Path folder() {
    return new org.apache.hadoop.fs.Path(dir.toUri());
  }

  JsonNode lockFile() throws Exception {
    return Manifest.json().readTree(Files.readString(dir.resolve(RunLock.FILE)));
  }

  @Test
  void aSecondWriterIsRefusedWithTheHoldersNameUntilTheFirstIsDone() throws Exception {
    List<String> warnings = new ArrayList<>();
    try (RunLock first = RunLock.acquire(fs(), folder(), "the weekly run", Duration.ofMinutes(10), warnings::add)) {
      JsonNode holder = lockFile();
      assertThat(holder.path("pid").asLong()).isEqualTo(ProcessHandle.current().pid());
      assertThatThrownBy(() -> RunLock.acquire(fs(), folder(), "the weekly run", Duration.ofMinutes(10),
          warnings::add))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageStartingWith("Cannot write into " + folder() + ": the weekly run (host "
              + InetAddress.getLocalHost().getHostName() + ", PID " + ProcessHandle.current().pid() + ", started "
              + holder.path("started").asText())
          .hasMessageContaining("is writing it; wait for it to finish or stop it");
    }
    assertThat(dir.resolve(RunLock.FILE)).doesNotExist();
    try (RunLock again = RunLock.acquire(fs(), folder(), "the weekly run", Duration.ofMinutes(10), warnings::add)) {
      assertThat(dir.resolve(RunLock.FILE)).exists();
    }
    assertThat(warnings).isEmpty();
  }

  @Test
  void theLockOfARunWhoseProcessEndedIsTakenOverWithAWarning() throws Exception {
    Process gone = new ProcessBuilder("true").start();
    gone.waitFor();
    Files.writeString(dir.resolve(RunLock.FILE), """
        {"id": "x", "what": "the weekly run", "host": "%s", "pid": %d, "started": "%s", "heartbeat": "%s"}
        """.formatted(InetAddress.getLocalHost().getHostName(), gone.pid(), Instant.now(), Instant.now()));
    List<String> warnings = new ArrayList<>();
    try (RunLock lock = RunLock.acquire(fs(), folder(), "the weekly run", Duration.ofMinutes(10), warnings::add)) {
      assertThat(lockFile().path("pid").asLong()).isEqualTo(ProcessHandle.current().pid());
    }
    assertThat(warnings).singleElement().asString()
        .startsWith("warning: taking over the lock of the weekly run (host ")
        .endsWith(": its process has ended");
  }

  @Test
  void aLockNotRenewedForALeaseIsTakenOverAndALiveOneIsRenewed() throws Exception {
    Instant old = Instant.now().minusSeconds(3600);
    Files.writeString(dir.resolve(RunLock.FILE), """
        {"id": "x", "what": "the daily run", "host": "another-host", "pid": 1, "started": "%s", "heartbeat": "%s"}
        """.formatted(old, old));
    List<String> warnings = new ArrayList<>();
    try (RunLock lock = RunLock.acquire(fs(), folder(), "the weekly run", Duration.ofMillis(400), warnings::add)) {
      Instant first = Instant.parse(lockFile().path("heartbeat").asText());
      Thread.sleep(700);
      assertThat(Instant.parse(lockFile().path("heartbeat").asText())).isAfter(first);
    }
    assertThat(warnings).singleElement().asString().contains("another-host").contains("not renewed for");
  }
}
