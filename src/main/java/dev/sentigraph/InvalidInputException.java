package dev.sentigraph;

/**
 * Bad input from the caller: a file, setting or value that is wrong. The message is one line that names the
 * culprit and what was expected, in the library's words; the CLI prints it as {@code error: ...}, naming its
 * own flag for {@link #setting()}, and exits with status 2.
 */
public class InvalidInputException extends RuntimeException {
  private final String setting;

  public InvalidInputException(String message) {
    this(message, (String) null);
  }

  /**
   * @param setting the library's name for the setting at fault ({@link LoadOptions}' field names, or the data
   *     and training settings' names, e.g. {@code seqLen}); null when a file or value is at fault
   */
  public InvalidInputException(String message, String setting) {
    super(message);
    this.setting = setting;
  }

  public InvalidInputException(String message, Throwable cause) {
    super(message, cause);
    this.setting = null;
  }

  /** The setting at fault, or null. */
  public String setting() {
    return setting;
  }
}
