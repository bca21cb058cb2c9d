package io.pricepath.jobs.steps;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.LocalFileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.RawLocalFileSystem;

/**
 * One writer per run folder (and per model registry): {@code _lock.json} names the run that holds
 * the folder (host, PID,
 * start, last heartbeat), created only if absent and renewed every quarter of the lease while the
 * run goes on. A second run on the folder is refused with the holder's name; a lock whose run is
 * gone — its process on this host has ended, or it has not been renewed for a lease — is taken
 * over with a warning.
 *
 * <p>Created with {@code O_EXCL} on a local disk and {@code create(overwrite = false)} elsewhere,
 * which is atomic on HDFS; on S3 (s3a, Hadoop 3.4.1) it is a HEAD then a PUT, so two runs starting
 * within one round trip of each other could both take it; the heartbeat's owner check then makes
 * the later one fail at its next renewal.
 */
public final class RunLock implements AutoCloseable {
  public static final String FILE = "_lock.json";

  private final FileSystem fs;
  private final Path file;
  private final String id;
  private final ObjectNode content;
  private final ScheduledExecutorService heartbeat;

  private RunLock(FileSystem fs, Path file, ObjectNode content, Duration lease) {
    this.fs = fs;
    this.file = file;
    this.id = content.path("id").asText();
    this.content = content;
    this.heartbeat = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "pricepath-lock-heartbeat");
      t.setDaemon(true);
      return t;
    });
    long every = Math.max(1, lease.toMillis() / 4);
    heartbeat.scheduleAtFixedRate(this::renew, every, every, TimeUnit.MILLISECONDS);
  }

  /**
   * Takes the lock of {@code folder} for {@code what} (e.g. "the weekly run").
   *
   * @param warn told when a stale lock is taken over
   * @throws IllegalArgumentException when another live run holds it, naming that run
   */
  public static RunLock acquire(FileSystem fs, Path folder, String what, Duration lease, Consumer<String> warn)
      throws IOException {
    Path file = new Path(folder, FILE);
    ObjectNode mine = Manifest.json().createObjectNode();
    mine.put("id", UUID.randomUUID().toString());
    mine.put("what", what);
    mine.put("host", host());
    mine.put("pid", ProcessHandle.current().pid());
    mine.put("started", Instant.now().toString());
    mine.put("heartbeat", Instant.now().toString());
    for (int attempt = 0; attempt < 2; attempt++) {
      if (create(fs, file, mine)) {
        return new RunLock(fs, file, mine, lease);
      }
      JsonNode holder = read(fs, file);
      if (holder == null) {
        continue; // released in between
      }
      String stale = staleness(holder, lease);
      String who = "%s (host %s, PID %s, started %s, last heartbeat %s)".formatted(holder.path("what").asText("a run"),
          holder.path("host").asText("?"), holder.path("pid").asText("?"), holder.path("started").asText("?"),
          holder.path("heartbeat").asText("?"));
      if (stale == null) {
        throw new IllegalArgumentException(("Cannot write into %s: %s is writing it; wait for it to finish or stop it "
            + "(its lock %s is taken over once its process is gone or it has not renewed it for %d s)")
            .formatted(folder, who, file, lease.toSeconds()));
      }
      warn.accept("warning: taking over the lock of %s in %s: %s".formatted(who, folder, stale));
      fs.delete(file, false);
    }
    throw new IllegalArgumentException("Cannot write into %s: another run took its lock %s at the same moment"
        .formatted(folder, file));
  }

  /** Why {@code holder}'s lock is stale, or null when its run may still be going. */
  static String staleness(JsonNode holder, Duration lease) {
    if (host().equals(holder.path("host").asText()) && holder.path("pid").canConvertToLong()
        && ProcessHandle.current().pid() != holder.path("pid").asLong()
        && ProcessHandle.of(holder.path("pid").asLong()).map(p -> !p.isAlive()).orElse(true)) {
      return "its process has ended";
    }
    try {
      Instant beat = Instant.parse(holder.path("heartbeat").asText());
      Duration silent = Duration.between(beat, Instant.now());
      if (silent.compareTo(lease) > 0) {
        return "not renewed for %d s (lease %d s)".formatted(silent.toSeconds(), lease.toSeconds());
      }
    } catch (java.time.format.DateTimeParseException e) {
      return "it cannot be read";
    }
    return null;
  }

  private static boolean create(FileSystem fs, Path file, ObjectNode content) throws IOException {
    byte[] bytes = Manifest.json().writeValueAsBytes(content);
    FileSystem raw = fs instanceof LocalFileSystem local ? local.getRaw() : fs;
    if (raw instanceof RawLocalFileSystem local) {
      try {
        Files.write(local.pathToFile(file).toPath(), bytes, java.nio.file.StandardOpenOption.CREATE_NEW,
            java.nio.file.StandardOpenOption.WRITE);
        return true;
      } catch (FileAlreadyExistsException e) {
        return false;
      }
    }
    try (OutputStream out = fs.create(file, false)) {
      out.write(bytes);
      return true;
    } catch (org.apache.hadoop.fs.FileAlreadyExistsException e) {
      return false;
    }
  }

  /**
   * Replaces the lock's content so that a reader never sees it half written: a rename over it on a
   * local disk, one PUT on an object store.
   */
  private static void replace(FileSystem fs, Path file, byte[] bytes) throws IOException {
    FileSystem raw = fs instanceof LocalFileSystem local ? local.getRaw() : fs;
    if (raw instanceof RawLocalFileSystem local) {
      java.nio.file.Path target = local.pathToFile(file).toPath();
      java.nio.file.Path temp = target.resolveSibling("." + FILE + "." + UUID.randomUUID() + ".tmp");
      Files.write(temp, bytes);
      Files.move(temp, target, java.nio.file.StandardCopyOption.ATOMIC_MOVE,
          java.nio.file.StandardCopyOption.REPLACE_EXISTING);
      return;
    }
    try (OutputStream out = fs.create(file, true)) {
      out.write(bytes);
    }
  }

  private static JsonNode read(FileSystem fs, Path file) throws IOException {
    try (InputStream in = fs.open(file)) {
      return Manifest.json().readTree(new String(in.readAllBytes(), StandardCharsets.UTF_8));
    } catch (java.io.FileNotFoundException e) {
      return null;
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      return Manifest.json().createObjectNode(); // unreadable: stale at once
    }
  }

  private synchronized void renew() {
    try {
      JsonNode now = read(fs, file);
      if (now == null || !id.equals(now.path("id").asText())) {
        return; // taken over or released: the other run's lock is not ours to write
      }
      content.put("heartbeat", Instant.now().toString());
      replace(fs, file, Manifest.json().writeValueAsBytes(content));
    } catch (IOException | RuntimeException e) {
      // the next renewal tries again; a lease of silence lets another run take over
    }
  }

  /** Releases the lock (when it is still this run's). */
  @Override
  public synchronized void close() throws IOException {
    heartbeat.shutdownNow();
    JsonNode now = read(fs, file);
    if (now != null && id.equals(now.path("id").asText())) {
      fs.delete(file, false);
    }
  }

  private static String host() {
    try {
      return InetAddress.getLocalHost().getHostName();
    } catch (IOException e) {
      return "unknown-host";
    }
  }
}
