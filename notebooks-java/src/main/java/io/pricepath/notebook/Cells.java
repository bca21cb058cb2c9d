package io.pricepath.notebook;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import jdk.jshell.Diag;
import jdk.jshell.EvalException;
import jdk.jshell.JShell;
import jdk.jshell.JShellException;
import jdk.jshell.Snippet;
import jdk.jshell.SnippetEvent;
import jdk.jshell.SourceCodeAnalysis;
import jdk.jshell.SourceCodeAnalysis.Completeness;
import jdk.jshell.UnresolvedReferenceException;

/**
 * Evaluates notebook cells: each cell is split into JShell snippets (declarations, statements,
 * expressions) and run in this JVM, on one thread ({@link CellThread}), with the JVM's own classpath
 * for compiling, so cells share objects with the code that displays them. A cell that does not
 * compile or throws stops at that snippet with a {@link CellError} naming the snippet's line and
 * the reason. Independent of Jupyter, so it is unit-tested on its own.
 */
public final class Cells implements AutoCloseable {
  private final JShell shell;
  private final SourceCodeAnalysis analysis;

  public Cells(String classpath) {
    this.shell = JShell.builder().executionEngine(CellThread.provider(), Map.of()).build();
    this.analysis = shell.sourceCodeAnalysis();
    if (classpath != null && !classpath.isBlank()) {
      shell.addToClasspath(classpath);
    }
  }

  /**
   * Runs one cell; returns the value of its last snippet when that is an expression or a variable
   * (as JShell prints it), else empty.
   */
  public Optional<String> eval(String cell) {
    String value = null;
    int line = 1;
    SourceCodeAnalysis.CompletionInfo info = analysis.analyzeCompletion(cell);
    String rest = cell;
    while (info.completeness().isComplete()) {
      String source = info.source();
      int lineOfSnippet = line + leadingLines(rest);
      value = evalSnippet(source, lineOfSnippet);
      line += lines(rest.substring(0, rest.length() - info.remaining().length()));
      rest = info.remaining();
      info = analysis.analyzeCompletion(rest);
    }
    if (info.completeness() != Completeness.EMPTY) {
      throw new CellError("line " + (line + leadingLines(rest)) + ": incomplete input (a missing ';', ')' or '}'?):\n  "
          + rest.strip().lines().findFirst().orElse(""));
    }
    return Optional.ofNullable(value);
  }

  private String evalSnippet(String source, int line) {
    List<SnippetEvent> events = shell.eval(source);
    String value = null;
    for (SnippetEvent event : events) {
      if (event.causeSnippet() != null) {
        continue;  // a dependent snippet updated by this one
      }
      Snippet snippet = event.snippet();
      if (event.status() == Snippet.Status.REJECTED) {
        String why = shell.diagnostics(snippet).filter(Diag::isError)
            .map(d -> "  " + d.getMessage(null).lines().findFirst().orElse("")).collect(Collectors.joining("\n"));
        throw new CellError("line " + line + ": does not compile: " + firstLine(source) + "\n" + why);
      }
      JShellException thrown = event.exception();
      if (thrown != null) {
        throw new CellError("line " + line + ": " + firstLine(source) + "\n" + describe(thrown));
      }
      // an expression's value, as JShell prints it; a declaration or an assignment has none
      Snippet.SubKind kind = snippet.subKind();
      boolean expression = kind == Snippet.SubKind.TEMP_VAR_EXPRESSION_SUBKIND
          || kind == Snippet.SubKind.VAR_VALUE_SUBKIND || kind == Snippet.SubKind.OTHER_EXPRESSION_SUBKIND;
      value = expression ? event.value() : null;
    }
    return value;
  }

  private static String describe(JShellException thrown) {
    if (thrown instanceof UnresolvedReferenceException unresolved) {
      return "  it uses something not declared yet: " + unresolved.getSnippet().source().strip();
    }
    StringBuilder out = new StringBuilder();
    Throwable t = thrown;
    String prefix = "  ";
    while (t != null) {
      String name = t instanceof EvalException e ? e.getExceptionClassName() : t.getClass().getName();
      out.append(prefix).append(name).append(t.getMessage() == null ? "" : ": " + t.getMessage()).append('\n');
      for (StackTraceElement frame : t.getStackTrace()) {
        if (frame.getClassName().startsWith("REPL.")) {
          break;  // the cell itself: the frames below are JShell's
        }
        if (frame.getClassName().startsWith("io.pricepath.")) {
          out.append(prefix).append("  at ").append(frame).append('\n');
        }
      }
      t = t.getCause();
      prefix = "  caused by ";
    }
    return out.toString().stripTrailing();
  }

  /** The completeness of a cell's last snippet: what Jupyter's console asks before it runs a cell. */
  public Completeness completeness(String cell) {
    SourceCodeAnalysis.CompletionInfo info = analysis.analyzeCompletion(cell);
    while (info.completeness().isComplete() && !info.remaining().isBlank()) {
      info = analysis.analyzeCompletion(info.remaining());
    }
    return info.completeness();
  }

  /** Completions of the word before {@code at}; {@code anchor[0]} is where it starts. */
  public List<String> completions(String code, int at, int[] anchor) {
    List<String> out = new ArrayList<>();
    for (SourceCodeAnalysis.Suggestion s : analysis.completionSuggestions(code, at, anchor)) {
      if (!out.contains(s.continuation())) {
        out.add(s.continuation());
      }
    }
    return out;
  }

  /** Signatures (and javadoc where the JDK has it) of what is under the cursor. */
  public String documentation(String code, int at) {
    return analysis.documentation(code, at, true).stream()
        .map(d -> d.javadoc() == null ? d.signature() : d.signature() + "\n" + d.javadoc())
        .collect(Collectors.joining("\n\n"));
  }

  /** Stops the running cell (Jupyter's interrupt). */
  public void stop() {
    shell.stop();
  }

  @Override
  public void close() {
    shell.close();
  }

  private static int leadingLines(String s) {
    int n = 0;
    for (int i = 0; i < s.length() && Character.isWhitespace(s.charAt(i)); i++) {
      if (s.charAt(i) == '\n') {
        n++;
      }
    }
    return n;
  }

  private static int lines(String s) {
    return (int) s.chars().filter(c -> c == '\n').count();
  }

  private static String firstLine(String source) {
    String first = source.strip().lines().findFirst().orElse("");
    return first.length() > 100 ? first.substring(0, 100) + " …" : first;
  }

  /** A cell that does not compile, is incomplete or throws: the message says where and why. */
  public static final class CellError extends RuntimeException {
    CellError(String message) {
      super(message, null, false, false);
    }
  }
}
