package io.pricepath.notebook;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import jdk.jshell.execution.DirectExecutionControl;
import jdk.jshell.spi.ExecutionControl;
import jdk.jshell.spi.ExecutionControlProvider;
import jdk.jshell.spi.ExecutionEnv;

/**
 * Runs every snippet of every cell in this JVM on one long-lived thread, as a REPL does. JShell's
 * own "local" engine starts a new thread per snippet, which loses what a thread carries between
 * cells: Spark's active session above all (Spark SQL then reads its settings, java.time dates
 * among them, from a bare default), and the context class loader that finds the cells' classes.
 */
final class CellThread extends DirectExecutionControl {
  private volatile Thread thread;
  private final ExecutorService cells = Executors.newSingleThreadExecutor(r -> {
    Thread t = new Thread(r, "notebook-cells");
    t.setDaemon(true);
    thread = t;
    return t;
  });

  /** The engine for {@code JShell.builder().executionEngine(…)}. */
  static ExecutionControlProvider provider() {
    return new ExecutionControlProvider() {
      @Override
      public String name() {
        return "pricepath-cells";
      }

      @Override
      public ExecutionControl generate(ExecutionEnv env, Map<String, String> parameters) {
        return new CellThread();
      }
    };
  }

  @Override
  protected String invoke(Method doit) throws Exception {
    Future<Object> result = cells.submit(() -> {
      Thread.currentThread().setContextClassLoader(doit.getDeclaringClass().getClassLoader());
      return doit.invoke(null);
    });
    try {
      return valueString(result.get());
    } catch (ExecutionException e) {
      if (e.getCause() instanceof InvocationTargetException thrown) {
        throw thrown;  // the cell's own exception: JShell reports it with the cell's stack
      }
      throw e;
    } catch (InterruptedException e) {
      result.cancel(true);
      throw new StoppedException();
    }
  }

  @Override
  public void stop() {
    Thread t = thread;
    if (t != null) {
      t.interrupt();
    }
  }

  @Override
  public void close() {
    cells.shutdownNow();
    super.close();
  }
}
