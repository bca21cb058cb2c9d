package io.pricepath.jobs.cli;

import java.io.IOException;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * Checks the paths a command names before any Spark work, so that a typo costs a second, not the
 * minutes of the steps before the one that reads it: what it reads exists, where it writes is a
 * folder or nothing yet. Every refusal is a {@link Cli.UserError} (exit 2) naming the option.
 */
final class Preflight {
  private final Configuration hadoop;

  /** Paths resolved as a session with the run config's {@code spark.conf} settings resolves them. */
  Preflight(Map<String, String> sparkConf) {
    hadoop = Sessions.hadoop();
    sparkConf.forEach((key, value) -> {
      if (key.startsWith("spark.hadoop.")) {
        hadoop.set(key.substring("spark.hadoop.".length()), value);
      }
    });
  }

  /** {@code path}, the {@code what} of the command, is an existing folder; {@code hint} says what to pass. */
  Preflight folder(String what, String path, String hint) {
    FileStatus status = status(what, path);
    if (status == null) {
      throw new Cli.UserError("Cannot read %s %s: no such folder (%s)".formatted(what, path, hint));
    }
    if (!status.isDirectory()) {
      throw new Cli.UserError("Cannot read %s %s: it is a file, not a folder (%s)".formatted(what, path, hint));
    }
    return this;
  }

  /** {@code path} (given as {@code option}) is an existing file. */
  Preflight file(String option, String path) {
    FileStatus status = status(option, path);
    if (status == null) {
      throw new Cli.UserError("Cannot read %s %s: no such file".formatted(option, path));
    }
    if (status.isDirectory()) {
      throw new Cli.UserError("Cannot read %s %s: it is a folder, not a file".formatted(option, path));
    }
    return this;
  }

  /** {@code path} (given as {@code option}) can become a folder: it is one, or it and its parents are not files. */
  Preflight output(String option, String path) {
    // a relative path's last parent is the empty path: the working folder, which exists
    for (Path p = new Path(path); p != null && !p.toString().isEmpty(); p = p.getParent()) {
      FileStatus status = status(option, p.toString());
      if (status != null) {
        if (status.isDirectory()) {
          return this;
        }
        throw new Cli.UserError(("Cannot write into %s %s: %s is a file (pass a folder, or a path where one can be "
            + "made)").formatted(option, path, p.equals(new Path(path)) ? "it" : p.toString()));
      }
    }
    return this;
  }

  private FileStatus status(String option, String path) {
    Path p = new Path(path);
    try {
      FileSystem fs = p.getFileSystem(hadoop);
      return fs.getFileStatus(p); // one request per path on an object store, not exists() and then this
    } catch (java.io.FileNotFoundException e) {
      return null;
    } catch (IOException e) {
      // a missing bucket or denied access is said as for any s3a:// path; anything else in one line
      throw new Cli.UserError(Sessions.storageProblem(e).orElseGet(() -> "Cannot check %s %s: %s".formatted(
          option, path, String.valueOf(e.getMessage()).lines().findFirst().orElse(""))));
    }
  }
}
