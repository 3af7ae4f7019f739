package dev.sentigraph.cli;

import dev.sentigraph.error.InputException;
import java.util.Map;
import picocli.CommandLine.IExecutionExceptionHandler;
import picocli.CommandLine.ParseResult;
import picocli.CommandLine;

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
    InputException badInput = findBadInput(ex);
    if (badInput != null) {
      cmd.getErr().println("error: " + message(badInput));
      return BAD_INPUT;
    }
    String message = ex.getMessage() == null ? ex.getClass().getSimpleName() : ex.getMessage();
    cmd.getErr().println("error: " + message.lines().findFirst().orElse(message));
    return FAILURE;
  }

  /** The library's message, with the flag that sets the setting at fault where the CLI has one. */
  static String message(InputException e) {
    String flag = e.setting() == null ? null : FLAGS.get(e.setting());
    return flag == null ? e.getMessage() : e.getMessage() + " (option " + flag + ")";
  }

  /** The CLI's flag for each library setting that {@link InputException#setting()} may name. */
  private static final Map<String, String> FLAGS = Map.ofEntries(Map.entry("wordIndex", "--word-index"),
      Map.entry("numWords", "--num-words"), Map.entry("indexFrom", "--index-from"), Map.entry("seqLen", "--seq-len"),
      Map.entry("signature", "--signature"), Map.entry("inputName", "--input-name"),
      Map.entry("checkpoint", "--checkpoint"), Map.entry("batchSize", "--batch-size"),
      Map.entry("trainLimit", "--train-limit"), Map.entry("initFrom", "--init-from"),
      Map.entry("validation", "--validation"), Map.entry("preset", "--preset"), Map.entry("optimizer", "--optimizer"),
      Map.entry("learningRate", "--lr"), Map.entry("epochs", "--epochs"), Map.entry("out", "--out"),
      Map.entry("data", "--data"), Map.entry("skipTop", "--skip-top"), Map.entry("dropLongerThan", "--drop-longer-than"),
      Map.entry("force", "--force"));

  private static InputException findBadInput(Throwable ex) {
    for (Throwable t = ex; t != null; t = t.getCause()) {
      if (t instanceof InputException bad) {
        return bad;
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
