package dev.sentigraph.cli;

import dev.sentigraph.model.NativeSettings;
import picocli.CommandLine;

/** Entry point of the {@code sentigraph} command line; the only place that calls {@code System.exit}. */
public final class Main {
  private Main() {}

  public static void main(String[] args) {
    NativeSettings.apply();
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
