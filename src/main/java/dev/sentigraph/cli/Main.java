package dev.sentigraph.cli;

import picocli.CommandLine;

/** Entry point of the {@code sentigraph} command line; the only place that calls {@code System.exit}. */
public final class Main {
  private Main() {}

  public static void main(String[] args) {
    // JavaCPP reads /proc for the process size on every native allocation unless this limit is off; TF Java
    // makes several per op, which cost ~1 s of graph building on a 25,000-op training graph
    if (System.getProperty("org.bytedeco.javacpp.maxPhysicalBytes") == null) {
      System.setProperty("org.bytedeco.javacpp.maxPhysicalBytes", "0");
    }
    System.exit(run(args));
  }

  /** Runs the CLI and returns its exit status (tests call this instead of {@code main}). */
  public static int run(String... args) {
    return newCommandLine().execute(args);
  }

  static CommandLine newCommandLine() {
    CommandLine cmd = new CommandLine(new SentigraphCommand());
    cmd.setExecutionExceptionHandler(new ErrorHandler());
    // Usage errors are bad input too: one line, exit 2.
    cmd.setParameterExceptionHandler(
        (ex, args) -> {
          ex.getCommandLine().getErr().println("error: " + ex.getMessage());
          return ErrorHandler.BAD_INPUT;
        });
    return cmd;
  }
}
