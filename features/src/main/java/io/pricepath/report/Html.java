package io.pricepath.report;

/** What every pricepath page needs of HTML besides its charts. */
public final class Html {
  private Html() {}

  /** {@code text} safe inside an element or a quoted attribute. */
  public static String escape(String text) {
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
  }
}
