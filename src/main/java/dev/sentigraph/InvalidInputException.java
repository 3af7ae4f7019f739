package dev.sentigraph;

/**
 * Bad input from the user: a file, option or value that is wrong. The message is one line that names the
 * culprit and what was expected; the CLI prints it as {@code error: ...} and exits with status 2.
 */
public class InvalidInputException extends RuntimeException {
  public InvalidInputException(String message) {
    super(message);
  }

  public InvalidInputException(String message, Throwable cause) {
    super(message, cause);
  }
}
