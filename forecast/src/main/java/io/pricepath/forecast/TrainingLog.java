package io.pricepath.forecast;

import java.time.LocalTime;
import java.time.format.DateTimeFormatter;
import java.util.function.Consumer;

/**
 * Where training reports its progress (the transformer's epochs): the console by default; a job
 * that prints its own progress routes the lines there while it trains.
 */
public final class TrainingLog {
  private static final DateTimeFormatter CLOCK = DateTimeFormatter.ofPattern("HH:mm:ss");
  private static volatile Consumer<String> sink = TrainingLog::console;

  private TrainingLog() {}

  /** Reports one line. */
  public static void line(String text) {
    sink.accept(text);
  }

  /** Sends the lines to {@code lines} until the returned scope is closed. */
  public static Scope to(Consumer<String> lines) {
    Consumer<String> before = sink;
    sink = lines;
    return () -> sink = before;
  }

  /** A scope of {@link #to}; closing it restores the sink before it. */
  public interface Scope extends AutoCloseable {
    @Override
    void close();
  }

  private static void console(String text) {
    System.out.println(LocalTime.now().format(CLOCK) + "      " + text);
  }
}
