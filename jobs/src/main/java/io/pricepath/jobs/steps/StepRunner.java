package io.pricepath.jobs.steps;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.List;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * Runs the steps of a job so that nothing is lost and nothing redone. A step writes its outputs
 * into a staging folder; only when it succeeded are they moved into the run folder and the step
 * marked done in the manifest with its fingerprint. A later run with the same fingerprint reuses
 * the outputs; a crashed step leaves only staging files, which the next attempt clears.
 *
 * <p>A step's phases are {@link CrashPoint}s ({@code <step>:started}, {@code :written}, {@code
 * :committing} after each output moved, {@code :done}), where the fault-injection test kills the run.
 */
public final class StepRunner {
  static final String STAGING = "_staging";

  private final FileSystem fs;
  private final Path out;
  private final Manifest manifest;
  private final Progress progress;
  private int index;
  private final int total;

  public StepRunner(FileSystem fs, Path out, Manifest manifest, Progress progress, int totalSteps) {
    this.fs = fs;
    this.out = out;
    this.manifest = manifest;
    this.progress = progress;
    this.total = totalSteps;
  }

  /** A step's work: writes its outputs under {@link Context#staging(String)}, returns its figures. */
  @FunctionalInterface
  public interface Body {
    JsonNode run(Context context) throws Exception;
  }

  /** What a running step can use. */
  public interface Context {
    /** Where to write output {@code name} (a folder or file name in the run folder). */
    String staging(String name);

    /** Reports progress of the step to the user. */
    Progress progress();
  }

  /**
   * The result of a step.
   *
   * @param name step name
   * @param fingerprint its fingerprint
   * @param reused whether a previous run's output was reused
   * @param result the step's figures (from the manifest when reused)
   * @param millis wall time of this run of the step (0 when reused)
   * @param driverPeakHeapMb the driver's largest heap use while the step ran, MiB (0 when reused)
   */
  public record Outcome(
      String name, String fingerprint, boolean reused, JsonNode result, long millis, long driverPeakHeapMb) {}

  /** Runs step {@code name} unless its outputs with this fingerprint are already there. */
  public Outcome run(String name, String fingerprint, List<String> outputs, Body body) throws IOException {
    index++;
    String label = "[%d/%d] %s".formatted(index, total, name);
    if (manifest.isDone(name, fingerprint) && allExist(outputs)) {
      ObjectNode entry = manifest.step(name);
      entry.put("status", "done");
      entry.remove(Manifest.STALE);
      entry.put("reused", true);
      manifest.save();
      progress.line("%s: reused (fingerprint %s, finished earlier in %s)"
          .formatted(label, fingerprint, Progress.duration(entry.path("millis").asLong())));
      return new Outcome(name, fingerprint, true, entry.path("result"), 0, 0);
    }
    Path stagingRoot = new Path(out, STAGING);
    Path staging = new Path(stagingRoot, name + "-" + fingerprint);
    if (fs.exists(stagingRoot)) {
      for (FileStatus left : fs.listStatus(stagingRoot)) {
        if (left.getPath().getName().startsWith(name + "-")) {
          fs.delete(left.getPath(), true); // left by a crashed attempt of this step
        }
      }
    }
    fs.mkdirs(staging);
    ObjectNode entry = manifest.step(name);
    entry.removeAll();
    entry.put("status", "running");
    entry.put("fingerprint", fingerprint);
    entry.putPOJO("outputs", outputs);
    manifest.save();
    progress.line(label + " ...");
    CrashPoint.at(name + ":started");
    long start = System.nanoTime();
    JsonNode result;
    HeapWatch heap = new HeapWatch();
    try (heap; var watch = progress.watchSpark(label)) {
      result = body.run(new Context() {
        @Override
        public String staging(String output) {
          return new Path(staging, output).toString();
        }

        @Override
        public Progress progress() {
          return progress;
        }
      });
    } catch (Exception e) {
      entry.put("status", "failed");
      entry.put("error", String.valueOf(e.getMessage()));
      manifest.save();
      if (e instanceof RuntimeException runtime) {
        throw runtime;
      }
      throw new IOException(e);
    }
    CrashPoint.at(name + ":written");
    for (String output : outputs) {
      Path from = new Path(staging, output);
      Path to = new Path(out, output);
      if (!fs.exists(from)) {
        throw new IllegalStateException("step %s did not write its output %s".formatted(name, output));
      }
      if (fs.exists(to)) {
        fs.delete(to, true);
      }
      if (to.getParent() != null) {
        fs.mkdirs(to.getParent());
      }
      if (!fs.rename(from, to)) {
        throw new IOException("Cannot commit output %s of step %s: rename from %s failed".formatted(output, name, from));
      }
      CrashPoint.at(name + ":committing");
    }
    fs.delete(staging, true);
    long millis = (System.nanoTime() - start) / 1_000_000;
    entry.put("status", "done");
    entry.put("reused", false);
    entry.put("millis", millis);
    long heapMb = heap.peakMb();
    entry.put("driver_peak_heap_mb", heapMb);
    entry.set("result", result == null ? JsonNodeFactory.instance.objectNode() : result);
    manifest.save();
    CrashPoint.at(name + ":done");
    progress.line("%s: done in %s".formatted(label, Progress.duration(millis)));
    return new Outcome(name, fingerprint, false, entry.get("result"), millis, heapMb);
  }

  /** Records that step {@code name} is not needed in this run, and why. */
  public Outcome skip(String name, String reason) throws IOException {
    index++;
    ObjectNode entry = manifest.step(name);
    entry.removeAll();
    entry.put("status", "skipped");
    entry.put("reason", reason);
    ObjectNode result = entry.putObject("result");
    result.put("skipped", reason);
    manifest.save();
    progress.line("[%d/%d] %s: skipped — %s".formatted(index, total, name, reason));
    return new Outcome(name, "", true, result, 0, 0);
  }

  /** Removes what crashed attempts left in the staging area; call when the whole job succeeded. */
  public void clearStaging() throws IOException {
    Path stagingRoot = new Path(out, STAGING);
    if (fs.exists(stagingRoot)) {
      fs.delete(stagingRoot, true);
    }
  }

  private boolean allExist(List<String> outputs) throws IOException {
    for (String output : outputs) {
      if (!fs.exists(new Path(out, output))) {
        return false;
      }
    }
    return true;
  }
}
