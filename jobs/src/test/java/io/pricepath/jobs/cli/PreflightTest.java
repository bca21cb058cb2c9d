package io.pricepath.jobs.cli;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The checks made before any Spark job starts, on local paths. */
class PreflightTest {
  @TempDir Path dir;

  @Test
  void aRelativeOutputFolderThatDoesNotExistYetIsFine() {
    // a relative path's parents end in the empty path, the working folder (once a crash in backtest --out bt)
    assertThatCode(() -> new Preflight(Map.of()).output("--out", "bt-" + System.nanoTime()))
        .doesNotThrowAnyException();
    assertThatCode(() -> new Preflight(Map.of()).output("--out", "target/x/y")).doesNotThrowAnyException();
  }

  @Test
  void anOutputUnderAFileIsRefusedNamingTheFile() throws Exception {
    Path file = Files.writeString(dir.resolve("f.txt"), "x");
    assertThatThrownBy(() -> new Preflight(Map.of()).output("--out", file.resolve("sub").toString()))
        .isInstanceOf(Cli.UserError.class).hasMessageContaining(file + " is a file");
  }
}
