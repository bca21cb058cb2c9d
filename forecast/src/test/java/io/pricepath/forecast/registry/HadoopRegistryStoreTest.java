package io.pricepath.forecast.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The Hadoop file system store on a local folder. */
class HadoopRegistryStoreTest {
  @TempDir Path dir;

  @Test
  void writesReplaceFilesWholeAndLeaveNoTemporaryFile() throws Exception {
    try (RegistryStore store = HadoopRegistryStore.open(dir.toString(), new Configuration())) {
      assertThat(store.read("a/status.json")).isEmpty();
      store.write("a/status.json", "one");
      store.write("a/status.json", "two");
      assertThat(store.read("a/status.json")).contains("two");
      assertThat(store.exists("a/status.json")).isTrue();
      try (var files = Files.list(dir.resolve("a"))) {
        assertThat(files.map(p -> p.getFileName().toString())).containsExactly("status.json");
      }
      // between the delete of the old file and the rename of the new one, the new one is read
      Files.move(dir.resolve("a/status.json"), dir.resolve("a/.status.json.tmp"));
      assertThat(store.read("a/status.json")).contains("two");
      assertThat(store.exists("a/status.json")).isFalse();
    }
  }

  @Test
  void listsOnlyVisibleFolders() throws Exception {
    Files.createDirectories(dir.resolve("versions/b"));
    Files.createDirectories(dir.resolve("versions/a"));
    Files.createDirectories(dir.resolve("versions/_staging"));
    Files.createDirectories(dir.resolve("versions/.hidden"));
    Files.writeString(dir.resolve("versions/file.json"), "{}");
    try (RegistryStore store = HadoopRegistryStore.open("file://" + dir, new Configuration())) {
      assertThat(store.folders("versions")).containsExactly("a", "b");
      assertThat(store.folders("nothing")).isEmpty();
      assertThat(store.resolve("versions/a")).isEqualTo("file:" + dir + "/versions/a");
    }
  }

  @Test
  void copiesNamedFoldersInReplacingAnIncompleteCopy() throws Exception {
    Path source = dir.resolve("source");
    Files.createDirectories(source.resolve("x/inner"));
    Files.writeString(source.resolve("x/inner/f.txt"), "f");
    Files.createDirectories(source.resolve("y"));
    Files.writeString(source.resolve("y/g.txt"), "g");
    Files.createDirectories(source.resolve("extra"));
    Files.writeString(source.resolve("extra/h.txt"), "h");
    Path root = dir.resolve("root");
    Files.createDirectories(root.resolve("versions/v/models/stale"));
    try (RegistryStore store = HadoopRegistryStore.open(root.toString(), new Configuration())) {
      store.copyIn(source.toString(), List.of("x", "y"), "versions/v/models");
      assertThat(Files.readString(root.resolve("versions/v/models/x/inner/f.txt"))).isEqualTo("f");
      assertThat(Files.readString(root.resolve("versions/v/models/y/g.txt"))).isEqualTo("g");
      assertThat(root.resolve("versions/v/models/stale")).doesNotExist();
      assertThat(root.resolve("versions/v/models/extra")).doesNotExist();
      assertThat(root.resolve("_staging")).doesNotExist();

      assertThatThrownBy(() -> store.copyIn(source.toString(), List.of("z"), "versions/w/models"))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessage(
              "Cannot copy %s into the model registry %s: %s/z is missing", source, root, source);
      assertThat(root.resolve("versions/w")).doesNotExist();
      store.delete("versions/v");
      assertThat(store.folders("versions")).isEmpty();
    }
  }

  @Test
  void needsALocation() {
    assertThatThrownBy(() -> HadoopRegistryStore.open(" ", new Configuration()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("Cannot open the model registry: no location given ( )");
  }
}
