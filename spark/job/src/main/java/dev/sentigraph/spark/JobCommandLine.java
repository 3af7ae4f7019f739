package dev.sentigraph.spark;

import dev.sentigraph.error.InputException;
import picocli.CommandLine;

/**
 * How the spark-submit jobs run their command line, as the CLI does: a bad option or bad input is one
 * {@code error: ...} line and exit status 2, never a stack trace.
 */
final class JobCommandLine {
  /** The exit status for bad input, as the CLI's. */
  static final int BAD_INPUT = 2;

  private JobCommandLine() {}

  /** Runs {@code job} (a picocli command) on {@code args} and returns its exit status. */
  static int execute(Object job, String... args) {
    CommandLine cmd = new CommandLine(job);
    cmd.setParameterExceptionHandler((ex, a) -> {
      ex.getCommandLine().getErr().println("error: " + ex.getMessage());
      return BAD_INPUT;
    });
    cmd.setExecutionExceptionHandler((ex, c, parsed) -> {
      // an executor's bad input (a model path it cannot read) reaches the driver as a cause
      for (Throwable t = ex; t != null; t = t.getCause()) {
        if (t instanceof InputException) {
          c.getErr().println("error: " + t.getMessage());
          return BAD_INPUT;
        }
      }
      throw ex;
    });
    return cmd.execute(args);
  }
}
