package io.pricepath.jobs.steps;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;

/**
 * The driver JVM's largest heap use while a step runs: used heap sampled every 50 ms on a daemon
 * thread (garbage not yet collected included, so it is what the step needed of {@code -Xmx} at
 * most, not its live data). Recorded per step in the manifest as {@code driver_peak_heap_mb}.
 */
final class HeapWatch implements AutoCloseable {
  private static final long PERIOD_MILLIS = 50;

  private final MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
  private final Thread sampler;
  private volatile long peak;
  private volatile boolean open = true;

  HeapWatch() {
    sample();
    sampler = new Thread(() -> {
      while (open) {
        sample();
        try {
          Thread.sleep(PERIOD_MILLIS);
        } catch (InterruptedException e) {
          return;
        }
      }
    }, "pricepath-heap-watch");
    sampler.setDaemon(true);
    sampler.start();
  }

  private void sample() {
    long used = memory.getHeapMemoryUsage().getUsed();
    if (used > peak) {
      peak = used;
    }
  }

  /** The largest heap use seen so far, in MiB. */
  long peakMb() {
    sample();
    return peak >> 20;
  }

  @Override
  public void close() {
    open = false;
    sampler.interrupt();
  }
}
