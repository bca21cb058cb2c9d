package io.pricepath.jobs.steps;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSDataInputStream;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.LocatedFileStatus;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.RemoteIterator;

/**
 * Content fingerprints: what a step read and how it was configured, never when it ran. Two runs
 * with the same fingerprint would write the same output, so the second reuses the first's.
 */
public final class Fingerprints {
  /** Bytes read from the end of every data file: the Parquet footer, with its row counts and statistics. */
  private static final int TAIL_BYTES = 64 * 1024;

  private Fingerprints() {}

  /** SHA-256 of the parts, in order, as 16 hex digits. */
  public static String of(String... parts) {
    MessageDigest digest = sha256();
    for (String part : parts) {
      digest.update(part.getBytes(StandardCharsets.UTF_8));
      digest.update((byte) 0);
    }
    return HexFormat.of().formatHex(digest.digest()).substring(0, 16);
  }

  /**
   * Fingerprint of a dataset root's content: every data file's folder (relative to the root), size
   * and footer bytes. File names are left out, since Spark names files with a random id per write:
   * the same data written twice has the same fingerprint.
   */
  public static String ofDataset(String root, Configuration hadoop) {
    try {
      Path rootPath = new Path(root);
      FileSystem fs = rootPath.getFileSystem(hadoop);
      String rootUri = fs.makeQualified(rootPath).toUri().getPath();
      List<String> entries = new ArrayList<>();
      RemoteIterator<LocatedFileStatus> files = fs.listFiles(rootPath, true);
      while (files.hasNext()) {
        LocatedFileStatus file = files.next();
        String name = file.getPath().getName();
        if (name.startsWith("_") || name.startsWith(".")) {
          continue;
        }
        String folder = file.getPath().getParent().toUri().getPath();
        String relative = folder.length() > rootUri.length() ? folder.substring(rootUri.length()) : "";
        if (relative.startsWith("/truth") || relative.contains("/_")) {
          continue;
        }
        entries.add(relative + "|" + file.getLen() + "|" + tailHash(fs, file));
      }
      entries.sort(String::compareTo);
      return of(entries.toArray(String[]::new));
    } catch (IOException e) {
      throw new IllegalStateException("Cannot fingerprint dataset %s: %s".formatted(root, e.getMessage()), e);
    }
  }

  private static String tailHash(FileSystem fs, FileStatus file) throws IOException {
    long length = file.getLen();
    int n = (int) Math.min(length, TAIL_BYTES);
    byte[] bytes = new byte[n];
    try (FSDataInputStream in = fs.open(file.getPath())) {
      in.readFully(length - n, bytes);
    }
    return HexFormat.of().formatHex(sha256().digest(bytes)).substring(0, 16);
  }

  /** SHA-256 of a stream, as 16 hex digits. */
  public static String ofStream(InputStream in) throws IOException {
    MessageDigest digest = sha256();
    byte[] buffer = new byte[64 * 1024];
    int read;
    while ((read = in.read(buffer)) > 0) {
      digest.update(buffer, 0, read);
    }
    return HexFormat.of().formatHex(digest.digest()).substring(0, 16);
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
