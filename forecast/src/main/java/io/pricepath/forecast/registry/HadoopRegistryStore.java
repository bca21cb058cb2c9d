package io.pricepath.forecast.registry;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileAlreadyExistsException;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.FileUtil;
import org.apache.hadoop.fs.Path;

/**
 * A {@link RegistryStore} on a Hadoop {@link FileSystem}: a local folder ({@code file:} or a plain
 * path), HDFS or S3 ({@code s3a:}).
 *
 * <p>A file is written beside itself ({@code .<name>.tmp}) and renamed over the old one; where the
 * file system refuses to rename onto an existing file (object stores), the old one is deleted first
 * and, for that moment, {@link #read} falls back to the finished temporary file. A folder is copied
 * under {@code _staging/} and renamed into place; on object stores, where a folder rename is a
 * copy, the registry writes its completion marker after the rename.
 */
final class HadoopRegistryStore implements RegistryStore {
  static final String STAGING = "_staging";

  private final String uri;
  private final Path root;
  private final Configuration hadoop;
  private final FileSystem fs;

  private HadoopRegistryStore(String uri, Path root, Configuration hadoop, FileSystem fs) {
    this.uri = uri;
    this.root = root;
    this.hadoop = hadoop;
    this.fs = fs;
  }

  /** A store rooted at {@code uri}; nothing is created until the first write. */
  static HadoopRegistryStore open(String uri, Configuration hadoop) {
    if (uri == null || uri.isBlank()) {
      throw new IllegalArgumentException(
          "Cannot open the model registry: no location given (%s)".formatted(uri));
    }
    Path root = new Path(uri);
    try {
      return new HadoopRegistryStore(uri, root, hadoop, newFileSystem(root, hadoop));
    } catch (IOException e) {
      throw new IllegalStateException(
          "Cannot open the model registry %s: %s".formatted(uri, e.getMessage()), e);
    }
  }

  /** A private instance without checksum sidecars; closing it leaves Spark's cached ones alone. */
  private static FileSystem newFileSystem(Path path, Configuration hadoop) throws IOException {
    FileSystem fs = FileSystem.newInstance(path.toUri(), hadoop);
    fs.setWriteChecksum(false);
    fs.setVerifyChecksum(false);
    return fs;
  }

  private Path path(String relative) {
    return new Path(root, relative);
  }

  private static Path temp(Path file) {
    return new Path(file.getParent(), "." + file.getName() + ".tmp");
  }

  private IllegalStateException failure(String action, IOException e) {
    return new IllegalStateException(
        "Cannot %s in the model registry %s: %s".formatted(action, uri, e.getMessage()), e);
  }

  @Override
  public String uri() {
    return uri;
  }

  @Override
  public String resolve(String relative) {
    return path(relative).toString();
  }

  @Override
  public boolean exists(String relative) {
    try {
      return fs.exists(path(relative));
    } catch (IOException e) {
      throw failure("look for " + relative, e);
    }
  }

  @Override
  public Optional<String> read(String relative) {
    Path file = path(relative);
    try {
      Optional<String> text = readIfThere(file);
      return text.isPresent() ? text : readIfThere(temp(file));
    } catch (IOException e) {
      throw failure("read " + relative, e);
    }
  }

  private Optional<String> readIfThere(Path file) throws IOException {
    try (InputStream in = fs.open(file)) {
      return Optional.of(new String(in.readAllBytes(), StandardCharsets.UTF_8));
    } catch (FileNotFoundException e) {
      return Optional.empty();
    }
  }

  @Override
  public void write(String relative, String text) {
    Path file = path(relative);
    Path temp = temp(file);
    try {
      fs.mkdirs(file.getParent());
      try (OutputStream out = fs.create(temp, true)) {
        out.write(text.getBytes(StandardCharsets.UTF_8));
      }
      if (!renameOver(temp, file)) {
        if (fs.exists(file) && !fs.delete(file, false)) {
          throw new IOException("delete of the old " + file + " failed");
        }
        if (!fs.rename(temp, file)) {
          throw new IOException("rename from " + temp + " failed");
        }
      }
    } catch (IOException e) {
      throw failure("write " + relative, e);
    }
  }

  /**
   * Renames {@code from} over {@code to}; false when the file system refuses to replace an existing
   * file: most return false, s3a throws {@link FileAlreadyExistsException}.
   */
  private boolean renameOver(Path from, Path to) throws IOException {
    try {
      return fs.rename(from, to);
    } catch (FileAlreadyExistsException e) {
      return false;
    }
  }

  @Override
  public List<String> folders(String relative) {
    List<String> names = new ArrayList<>();
    try {
      for (FileStatus status : fs.listStatus(path(relative))) {
        String name = status.getPath().getName();
        if (status.isDirectory() && !name.startsWith(".") && !name.startsWith("_")) {
          names.add(name);
        }
      }
    } catch (FileNotFoundException e) {
      return List.of();
    } catch (IOException e) {
      throw failure("list " + relative, e);
    }
    names.sort(null);
    return names;
  }

  @Override
  public void copyIn(String source, List<String> children, String relative) {
    Path from = new Path(source);
    Path to = path(relative);
    Path stagingRoot = path(STAGING);
    Path staging = new Path(stagingRoot, to.getName() + "-" + UUID.randomUUID());
    try (FileSystem sourceFs = newFileSystem(from, hadoop)) {
      // what interrupted copies left (one writer at a time: none is in progress)
      fs.delete(stagingRoot, true);
      for (String child : children) {
        Path folder = new Path(from, child);
        if (!sourceFs.exists(folder)) {
          throw new IllegalArgumentException(
              "Cannot copy %s into the model registry %s: %s is missing"
                  .formatted(source, uri, folder));
        }
        if (!FileUtil.copy(sourceFs, folder, fs, new Path(staging, child), false, hadoop)) {
          throw new IOException("copy of " + folder + " failed");
        }
      }
      if (fs.exists(to) && !fs.delete(to, true)) {
        throw new IOException("delete of the incomplete " + to + " failed");
      }
      fs.mkdirs(to.getParent());
      if (!fs.rename(staging, to)) {
        throw new IOException("rename from " + staging + " failed");
      }
    } catch (IOException e) {
      throw failure("copy " + source + " to " + relative, e);
    } finally {
      try {
        fs.delete(stagingRoot, true);
      } catch (IOException e) {
        // best effort: what is left under _staging/ is never listed and is cleared by the next copy
      }
    }
  }

  @Override
  public void delete(String relative) {
    try {
      fs.delete(path(relative), true);
    } catch (IOException e) {
      throw failure("delete " + relative, e);
    }
  }

  @Override
  public void close() {
    try {
      fs.close();
    } catch (IOException e) {
      throw failure("close the connection", e);
    }
  }
}
