package dev.sentigraph.cli;

import dev.sentigraph.InvalidInputException;
import picocli.CommandLine;
import picocli.CommandLine.IExecutionExceptionHandler;
import picocli.CommandLine.ParseResult;

/**
 * Turns exceptions into the CLI contract: bad input is one {@code error: ...} line and exit 2, anything
 * else exit 1; stack traces only with {@code --verbose}.
 */
final class ErrorHandler implements IExecutionExceptionHandler {
  static final int BAD_INPUT = 2;
  static final int FAILURE = 1;

  @Override
  public int handleExecutionException(Exception ex, CommandLine cmd, ParseResult parseResult) {
    boolean verbose = parseResult != null && hasVerbose(parseResult);
    if (verbose) {
      ex.printStackTrace(cmd.getErr());
    }
    Throwable badInput = findBadInput(ex);
    if (badInput != null) {
      cmd.getErr().println("error: " + badInput.getMessage());
      return BAD_INPUT;
    }
    String message = ex.getMessage() == null ? ex.getClass().getSimpleName() : ex.getMessage();
    cmd.getErr().println("error: " + message.lines().findFirst().orElse(message));
    return FAILURE;
  }

  private static Throwable findBadInput(Throwable ex) {
    for (Throwable t = ex; t != null; t = t.getCause()) {
      if (t instanceof InvalidInputException) {
        return t;
      }
    }
    return null;
  }

  private static boolean hasVerbose(ParseResult result) {
    for (ParseResult r = result; r != null; r = r.subcommand()) {
      if (r.hasMatchedOption("--verbose")) {
        return true;
      }
    }
    return false;
  }
}
