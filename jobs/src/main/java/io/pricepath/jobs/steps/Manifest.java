package io.pricepath.jobs.steps;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * {@code manifest.json} of a run folder: what the run read, the config it ran with, each step's
 * status, fingerprint and timing, and the figures of its results. Saved atomically after every
 * change (written beside, then renamed over the old one), so a killed run leaves a readable one.
 */
public final class Manifest {
  public static final String FILE = "manifest.json";
  static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  private final FileSystem fs;
  private final Path file;
  private final ObjectNode root;

  private Manifest(FileSystem fs, Path file, ObjectNode root) {
    this.fs = fs;
    this.file = file;
    this.root = root;
  }

  /** The manifest of run folder {@code out}, or an empty one when there is none yet. */
  public static Manifest open(FileSystem fs, Path out) throws IOException {
    Path file = new Path(out, FILE);
    Path temp = new Path(out, "." + FILE + ".tmp");
    ObjectNode root;
    // A save killed between deleting the old manifest and renaming the new one leaves only the new one.
    Path readable = fs.exists(file) ? file : fs.exists(temp) ? temp : null;
    if (readable != null) {
      try (InputStream in = fs.open(readable)) {
        JsonNode node = JSON.readTree(in);
        root = node instanceof ObjectNode object ? object : JsonNodeFactory.instance.objectNode();
      } catch (IOException e) {
        // A manifest that cannot be parsed is treated as absent: every step runs again.
        root = JsonNodeFactory.instance.objectNode();
      }
    } else {
      root = JsonNodeFactory.instance.objectNode();
    }
    if (!root.has("steps")) {
      root.putObject("steps");
    }
    return new Manifest(fs, file, root);
  }

  /** The whole document (mutable; call {@link #save()} after changing it). */
  public ObjectNode root() {
    return root;
  }

  /** The entry of step {@code name}, created empty when missing. */
  public ObjectNode step(String name) {
    ObjectNode steps = (ObjectNode) root.get("steps");
    JsonNode step = steps.get(name);
    return step instanceof ObjectNode object ? object : steps.putObject(name);
  }

  /**
   * Whether step {@code name} finished with {@code fingerprint}: done in this run, or done in an
   * earlier one and {@link #markStale stale} since (its outputs still match the fingerprint).
   */
  public boolean isDone(String name, String fingerprint) {
    JsonNode step = root.get("steps").get(name);
    return step != null
        && ("done".equals(step.path("status").asText()) || step.has(STALE))
        && fingerprint.equals(step.path("fingerprint").asText());
  }

  /** Marker of a step done by an earlier run, until this run reuses or redoes it. */
  static final String STALE = "stale";

  /**
   * Marks every step an earlier run finished as {@code stale}: a run that stops or fails before it
   * reaches a step leaves the step saying so, and a reader who follows the manifest never takes an
   * earlier run's output for this run's. The step's fingerprint stays, so a later run can reuse it.
   */
  public void markStale() {
    String earlier = root.path("run_id").asText("");
    root.get("steps").fields().forEachRemaining(e -> {
      if (e.getValue() instanceof ObjectNode step && ("done".equals(step.path("status").asText())
          || "skipped".equals(step.path("status").asText()))) {
        step.put("status", STALE);
        step.put(STALE, ("written by an earlier run%s; this run has not reused or redone it (yet)")
            .formatted(earlier.isEmpty() ? "" : " (run " + earlier + ")"));
      }
    });
  }

  /** Writes the manifest atomically. */
  public synchronized void save() throws IOException {
    Path temp = new Path(file.getParent(), "." + FILE + ".tmp");
    try (OutputStream out = fs.create(temp, true)) {
      out.write(JSON.writeValueAsString(root).getBytes(StandardCharsets.UTF_8));
    }
    if (fs.exists(file) && !fs.delete(file, false)) {
      throw new IOException("Cannot replace " + file + ": delete failed");
    }
    CrashPoint.at("manifest-save");
    if (!fs.rename(temp, file)) {
      throw new IOException("Cannot write " + file + ": rename from " + temp + " failed");
    }
  }

  /** Shared JSON mapper for step results. */
  public static ObjectMapper json() {
    return JSON;
  }
}
