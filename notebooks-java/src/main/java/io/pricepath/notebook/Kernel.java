package io.pricepath.notebook;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import jdk.jshell.SourceCodeAnalysis;
import org.dflib.jjava.jupyter.channels.JupyterConnection;
import org.dflib.jjava.jupyter.kernel.BaseKernel;
import org.dflib.jjava.jupyter.kernel.BaseKernelBuilder;
import org.dflib.jjava.jupyter.kernel.HelpLink;
import org.dflib.jjava.jupyter.kernel.JupyterIO;
import org.dflib.jjava.jupyter.kernel.KernelConnectionProperties;
import org.dflib.jjava.jupyter.kernel.LanguageInfo;
import org.dflib.jjava.jupyter.kernel.ReplacementOptions;
import org.dflib.jjava.jupyter.kernel.comm.CommManager;
import org.dflib.jjava.jupyter.kernel.display.DisplayData;
import org.dflib.jjava.jupyter.kernel.display.Renderer;
import org.dflib.jjava.jupyter.kernel.history.HistoryManager;
import org.dflib.jjava.jupyter.kernel.magic.MagicsRegistry;
import org.dflib.jjava.jupyter.kernel.util.StringStyler;

/**
 * The pricepath Jupyter kernel: Java cells evaluated by {@link Cells} (JShell, in this JVM, so a
 * cell's objects — a SparkSession, a Dataset, a chart — are the real ones and {@link Show} can put
 * them in the notebook), behind the Jupyter wire protocol of {@code jjava-jupyter}. Jupyter starts
 * it from the kernelspec that {@link KernelSpec} writes: {@code java … io.pricepath.notebook.Kernel
 * CONNECTION_FILE}.
 */
public final class Kernel extends BaseKernel {
  private static final String VERSION = "0.1.0";
  private final Cells cells;

  private Kernel(Builder b, Cells cells) {
    super("pricepath", VERSION,
        new LanguageInfo("java", Runtime.version().toString(), "text/x-java-source", ".jshell", "java", "java",
            "script"),
        List.of(new HelpLink("pricepath notebooks", "notebooks-java/README.md")),
        b.history(), b.jupyterIO(), b.comms(), b.renderer(), null, b.magics(), false, b.errorStyler());
    this.cells = cells;
  }

  public static void main(String[] args) throws Exception {
    if (args.length != 1 || !Files.isRegularFile(Path.of(args[0]))) {
      System.err.println("usage: io.pricepath.notebook.Kernel CONNECTION_FILE (Jupyter starts the kernel with it; "
          + "install the kernelspec with bin/pricepath-notebook install)");
      System.exit(2);
    }
    KernelConnectionProperties connection = KernelConnectionProperties.parse(Files.readString(Path.of(args[0])));
    JupyterConnection jupyter = new JupyterConnection(connection);
    try (Cells cells = new Cells(System.getProperty("java.class.path"))) {
      Kernel kernel = new Builder().build(cells);
      kernel.onStartup();
      kernel.becomeHandlerForConnection(jupyter);
      jupyter.connect();
      jupyter.waitUntilClose();
      kernel.onShutdown(false);
    }
    System.exit(0);  // Spark's non-daemon threads would otherwise keep the JVM after Jupyter left
  }

  /** The kernel running this notebook, if any: {@link Show} falls back to text outside Jupyter. */
  static Optional<BaseKernel> running() {
    return Optional.ofNullable(BaseKernel.notebookKernel);
  }

  @Override
  public String getBanner() {
    return "pricepath " + VERSION + " — Java " + Runtime.version() + " (JShell, in process)";
  }

  @Override
  public Object evalRaw(String code) {
    return cells.eval(code).orElse(null);
  }

  @Override
  public List<String> formatError(Throwable e) {
    if (e instanceof Cells.CellError error) {
      List<String> lines = new ArrayList<>();
      for (String line : error.getMessage().split("\n")) {
        lines.add(errorStyler.primary(line));
      }
      return lines;
    }
    return super.formatError(e);
  }

  @Override
  public DisplayData inspect(String code, int at, boolean detail) {
    String doc = cells.documentation(code, at);
    return doc.isEmpty() ? null : new DisplayData(doc);
  }

  @Override
  public ReplacementOptions complete(String code, int at) {
    int[] anchor = new int[1];
    List<String> options = cells.completions(code, at, anchor);
    return options.isEmpty() ? null : new ReplacementOptions(options, anchor[0], at);
  }

  @Override
  public String isComplete(String code) {
    SourceCodeAnalysis.Completeness c = cells.completeness(code);
    return switch (c) {
      case COMPLETE, COMPLETE_WITH_SEMI, EMPTY -> IS_COMPLETE_YES;
      case CONSIDERED_INCOMPLETE, DEFINITELY_INCOMPLETE -> "  ";
      case UNKNOWN -> IS_COMPLETE_BAD;
    };
  }

  @Override
  public void interrupt() {
    cells.stop();
  }

  /** Takes jjava's defaults for the protocol's parts (I/O, comms, rendering, history). */
  private static final class Builder extends BaseKernelBuilder<Builder, Kernel> {
    Builder() {
      name("pricepath");
      version(VERSION);
    }

    @Override
    public Kernel build() {
      throw new UnsupportedOperationException("use build(cells)");
    }

    Kernel build(Cells cells) {
      return new Kernel(this, cells);
    }

    JupyterIO jupyterIO() {
      return buildJupyterIO(buildJupyterIOEncoding());
    }

    CommManager comms() {
      return buildCommManager();
    }

    Renderer renderer() {
      return buildRenderer();
    }

    MagicsRegistry magics() {
      return buildMagicsRegistry();
    }

    StringStyler errorStyler() {
      return buildErrorStyler();
    }

    HistoryManager history() {
      return buildHistoryManager();
    }
  }

}
