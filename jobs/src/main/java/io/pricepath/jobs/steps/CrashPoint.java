package io.pricepath.jobs.steps;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Fault injection: the run's JVM halts at a named point, as {@code kill -9} or a reclaimed spot
 * instance would stop it, when the system property {@value #PROPERTY} names that point ({@code
 * forecast:written}) or its n-th occurrence ({@code manifest-save#3}). Without the property it is
 * one property lookup. The kill-anywhere test ({@code CrashResumeIT}) walks a run through every point.
 */
public final class CrashPoint {
  /** The system property that names the point to halt at. */
  public static final String PROPERTY = "pricepath.crash-at";
  /** The exit status of a halt at a crash point (that of a process killed by SIGKILL). */
  public static final int EXIT_STATUS = 137;

  private static final ConcurrentHashMap<String, AtomicInteger> SEEN = new ConcurrentHashMap<>();

  private static volatile java.util.function.Consumer<String> listener;

  private CrashPoint() {}

  /**
   * Tells {@code listener} (null: no one) of every point the run passes in this JVM: a fault test
   * that runs the job in the test's own JVM injects its fault there (cuts the storage server off at
   * a commit, as S3WeeklyRunIT does).
   */
  public static void listen(java.util.function.Consumer<String> listener) {
    CrashPoint.listener = listener;
  }

  /** Halts the JVM when {@code point} (this occurrence of it) is the one the property names. */
  public static void at(String point) {
    var told = listener;
    if (told != null) {
      told.accept(point);
    }
    String wanted = System.getProperty(PROPERTY);
    if (wanted == null || !wanted.startsWith(point)) {
      return;
    }
    int occurrence = SEEN.computeIfAbsent(point, p -> new AtomicInteger()).incrementAndGet();
    if (wanted.equals(point) || wanted.equals(point + "#" + occurrence)) {
      System.err.println("pricepath: halting at crash point " + wanted + " (" + PROPERTY + ")");
      System.err.flush();
      Runtime.getRuntime().halt(EXIT_STATUS);
    }
  }
}
