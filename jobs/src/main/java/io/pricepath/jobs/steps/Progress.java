package io.pricepath.jobs.steps;

import java.io.PrintStream;
import java.time.LocalTime;
import java.time.format.DateTimeFormatter;
import org.apache.spark.SparkStageInfo;
import org.apache.spark.SparkStatusTracker;
import org.apache.spark.sql.SparkSession;

/**
 * What the user sees while a job runs: one line per event, and for long Spark work a line every
 * few seconds with the tasks done so far.
 */
public final class Progress {
  private static final DateTimeFormatter CLOCK = DateTimeFormatter.ofPattern("HH:mm:ss");
  private final PrintStream out;
  private final SparkSession spark;
  private final long intervalMillis;

  public Progress(PrintStream out, SparkSession spark, long intervalMillis) {
    this.out = out;
    this.spark = spark;
    this.intervalMillis = intervalMillis;
  }

  /** Prints one progress line. */
  public void line(String text) {
    out.println(LocalTime.now().format(CLOCK) + "  " + text);
    out.flush();
  }

  /** Human duration: 850 ms, 12.3 s, 4 min 05 s. */
  public static String duration(long millis) {
    if (millis < 1000) {
      return millis + " ms";
    }
    if (millis < 60_000) {
      return "%.1f s".formatted(millis / 1000.0);
    }
    return "%d min %02d s".formatted(millis / 60_000, (millis / 1000) % 60);
  }

  /** Starts reporting Spark task progress of {@code label} until closed. */
  public AutoCloseable watchSpark(String label) {
    if (spark == null || intervalMillis <= 0) {
      return () -> {};
    }
    Thread thread = new Thread(() -> {
      SparkStatusTracker tracker = spark.sparkContext().statusTracker();
      try {
        while (!Thread.currentThread().isInterrupted()) {
          Thread.sleep(intervalMillis);
          int done = 0;
          int all = 0;
          int stages = 0;
          for (int id : tracker.getActiveStageIds()) {
            scala.Option<SparkStageInfo> info = tracker.getStageInfo(id);
            if (info.isDefined()) {
              done += info.get().numCompletedTasks();
              all += info.get().numTasks();
              stages++;
            }
          }
          if (stages > 0) {
            line("    %s: %d/%d tasks of %d running stage(s)".formatted(label, done, all, stages));
          }
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }, "pricepath-progress");
    thread.setDaemon(true);
    thread.start();
    return thread::interrupt;
  }
}
