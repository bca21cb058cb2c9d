package io.pricepath.jobs;

import io.pricepath.jobs.cli.Cli;

/**
 * Entry point of every pricepath job, on embedded Spark ({@code bin/pricepath}) and under {@code
 * spark-submit --class io.pricepath.jobs.Pricepath}. See {@code pricepath --help}.
 */
public final class Pricepath {
  private Pricepath() {}

  public static void main(String[] args) {
    int code = Cli.execute(args, System.out, System.err);
    System.exit(code);
  }
}
