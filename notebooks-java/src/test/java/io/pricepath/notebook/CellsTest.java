package io.pricepath.notebook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import jdk.jshell.SourceCodeAnalysis.Completeness;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Cells as the kernel runs them, without Jupyter: values, shared state, errors that say where. */
public class CellsTest {
  static Cells cells;

  @BeforeAll
  static void start() {
    cells = new Cells(System.getProperty("java.class.path"));
  }

  @AfterAll
  static void stop() {
    cells.close();
  }

  @Test
  void aCellsLastExpressionIsItsValueAndDeclarationsCarryOver() {
    assertThat(cells.eval("int x = 20;\n// a comment\nint twice(int v) { return 2 * v; }")).isEmpty();
    assertThat(cells.eval("twice(x) + 2")).contains("42");
    assertThat(cells.eval("String s = \"a\" + x;")).isEmpty();  // a declaration: no value shown
    assertThat(cells.eval("s")).contains("\"a20\"");
  }

  @Test
  void cellsSeeTheKernelsClasspathAndShareItsObjects() {
    // the cell runs in this JVM: a static set by a cell is the one this test reads
    cells.eval("io.pricepath.notebook.CellsTest.seen = java.util.List.of(io.pricepath.report.Html.escape(\"<a>\"));");
    assertThat(seen).containsExactly("&lt;a&gt;");
  }

  public static java.util.List<String> seen;

  public static final ThreadLocal<String> ACTIVE = new ThreadLocal<>();

  @Test
  void everyCellRunsOnOneThreadSoWhatAThreadCarriesLasts() {
    // as Spark's active session: set in one cell, still there in the next (JShell's local engine loses it)
    cells.eval("io.pricepath.notebook.CellsTest.ACTIVE.set(\"session\");");
    assertThat(cells.eval("io.pricepath.notebook.CellsTest.ACTIVE.get()")).contains("\"session\"");
  }

  @Test
  void aCellThatDoesNotCompileSaysWhichLineAndWhy() {
    assertThatThrownBy(() -> cells.eval("int a = 1;\n\nint b = \"text\";"))
        .isInstanceOf(Cells.CellError.class)
        .hasMessageStartingWith("line 3: does not compile: int b = \"text\";")
        .hasMessageContaining("incompatible types");
  }

  @Test
  void aCellThatThrowsNamesTheExceptionAndStopsThere() {
    assertThatThrownBy(() -> cells.eval("int c = 1;\nif (c == 1) throw new IllegalStateException(\"no run folder\");\nc = 5;"))
        .isInstanceOf(Cells.CellError.class)
        .hasMessageContaining("line 2:")
        .hasMessageContaining("java.lang.IllegalStateException: no run folder");
    assertThat(cells.eval("c")).contains("1");
  }

  @Test
  void incompleteInputIsAnErrorAndJupyterIsToldToWait() {
    assertThatThrownBy(() -> cells.eval("int d = 1;\nif (d > 0) {"))
        .isInstanceOf(Cells.CellError.class).hasMessageStartingWith("line 2: incomplete input");
    assertThat(cells.completeness("if (d > 0) {")).isEqualTo(Completeness.DEFINITELY_INCOMPLETE);
    assertThat(cells.completeness("int e = 1;")).isEqualTo(Completeness.COMPLETE);
  }

  @Test
  void completionOffersMembers() {
    int[] anchor = new int[1];
    assertThat(cells.completions("\"abc\".toUpper", 13, anchor)).contains("toUpperCase(");
    assertThat(anchor[0]).isEqualTo(6);
  }
}
