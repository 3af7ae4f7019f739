package dev.sentigraph;

import dev.sentigraph.error.InputException;

/**
 * Bad input from the caller, as {@link SentimentModel} and {@link LoadOptions} report it: one line naming the
 * culprit and what was expected (see {@link InputException}, which every other package throws and which this
 * extends, so that catching either works).
 */
public class InvalidInputException extends InputException {
  public InvalidInputException(String message) {
    super(message);
  }

  /** @param setting the {@link LoadOptions} field at fault; null when a file or value is at fault */
  public InvalidInputException(String message, String setting) {
    super(message, setting);
  }

  public InvalidInputException(String message, Throwable cause) {
    super(message, cause);
  }

  /** {@code cause} as the front door reports it: same message and setting. */
  InvalidInputException(InputException cause) {
    super(cause);
  }
}
