package dev.sentigraph.error;

/**
 * Bad input from the caller: a file, setting or value that is wrong. The message is one line that names the
 * culprit and what was expected, in the library's words; the CLI prints it as {@code error: ...}, naming its
 * own flag for {@link #setting()}, and exits with status 2; {@code serve} answers 400 with it.
 *
 * <p>Every package throws this one; the front door, {@code dev.sentigraph.SentimentModel}, hands its callers the
 * contract's subclass {@code dev.sentigraph.error.InputException}. It lives apart so that no package below the
 * front door depends on the front door's package.
 */
public class InputException extends RuntimeException {
  private final String setting;

  public InputException(String message) {
    this(message, (String) null);
  }

  /**
   * @param setting the library's name for the setting at fault ({@code LoadOptions}' field names, or the data
   *     and training settings' names, e.g. {@code seqLen}); null when a file or value is at fault
   */
  public InputException(String message, String setting) {
    super(message);
    this.setting = setting;
  }

  public InputException(String message, Throwable cause) {
    super(message, cause);
    this.setting = null;
  }

  /** The same message and setting as {@code cause}, which it wraps. */
  protected InputException(InputException cause) {
    super(cause.getMessage(), cause);
    this.setting = cause.setting;
  }

  /** The setting at fault, or null. */
  public String setting() {
    return setting;
  }
}
