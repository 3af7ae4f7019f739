package dev.sentigraph.cli;

import dev.sentigraph.runtime.NativeSettings;
import picocli.CommandLine;

/** Entry point of the {@code sentigraph} command line; the only place that calls {@code System.exit}. */
public final class Main {
  private Main() {}

  public static void main(String[] args) {
    System.exit(run(args));
  }

  /** Runs the CLI and returns its exit status (tests call this instead of {@code main}). */
  public static int run(String... args) {
    return newCommandLine().execute(args);
  }

  /** Commands without graphs (help, presets, summary, data) start without loading TensorFlow at all. */
  private static boolean needsTensorFlow(CommandLine.ParseResult parseResult) {
    CommandLine.ParseResult sub = parseResult.subcommand();
    if (sub == null || sub.isUsageHelpRequested() || sub.isVersionHelpRequested()) {
      return false;
    }
    return !java.util.Set.of("help", "presets", "summary", "data").contains(sub.commandSpec().name());
  }

  static CommandLine newCommandLine() {
    CommandLine cmd = new CommandLine(new SentigraphCommand());
    cmd.setExecutionExceptionHandler(new ErrorHandler());
    cmd.setExecutionStrategy(parseResult -> {
      if (needsTensorFlow(parseResult)) {
        NativeSettings.apply();
        NativeAllocator.keepStepBuffers();
        // --verbose shows TensorFlow's native log lines too
        if (!parseResult.subcommand().hasMatchedOption("--verbose") && !CliEnvironment.tfLogs()) {
          NativeLogs.quiet();
        }
      }
      return new CommandLine.RunLast().execute(parseResult);
    });
    // Usage errors are bad input too: one line, exit 2.
    cmd.setParameterExceptionHandler(
        (ex, args) -> {
          ex.getCommandLine().getErr().println("error: " + ex.getMessage());
          return ErrorHandler.BAD_INPUT;
        });
    return cmd;
  }
}
