package dev.sentigraph.fuzz;

/** How one CLI run on a mutated input ended, in the classes; the first two are the good outcomes. */
public enum Verdict {
  /** Exit 2 and every stderr line an {@code error:} line. */
  REFUSED,
  /** Exit 0 on input that is actually fine. */
  ACCEPTED,
  /** A Java stack trace on stderr. */
  STACK_TRACE,
  /** Exit 134 or death by a signal: TF's fatal checks, the JVM's own crash handler. */
  ABORT,
  /** Still running at the timeout. */
  HANG,
  /** Exit 1 (internal failure) for what is bad input. */
  EXIT_1,
  /** Exit 0 on input that must be refused, or output that breaks one record per line. */
  SILENT_NONSENSE,
  /** Exit 2 with lines other than {@code error:} lines on stderr (native log noise before the error line). */
  NOISY_REFUSAL,
  /** Any other exit status. */
  OTHER;

  public boolean ok() {
    return this == REFUSED || this == ACCEPTED;
  }

  /** Classifies a finished (or timed-out) run. */
  public static Verdict of(FuzzCase c, Integer exit, String stdout, String stderr) {
    if (exit == null) {
      return HANG;
    }
    if (stderr.contains("\tat ") || stderr.contains("Exception in thread") || stderr.contains("StackOverflowError")) {
      return STACK_TRACE;
    }
    if (exit == 134 || exit > 128 || stderr.contains("Check failed") || stderr.contains("A fatal error has been detected")) {
      return ABORT;
    }
    if (exit == 1) {
      return EXIT_1;
    }
    if (exit == 0) {
      boolean linesOk = c.expectedLines() == null || stdout.lines().count() == c.expectedLines();
      return c.mustRefuse() || !linesOk ? SILENT_NONSENSE : ACCEPTED;
    }
    if (exit == 2) {
      boolean clean = !stderr.isBlank() && stderr.lines().filter(l -> !l.isBlank()).allMatch(l -> l.startsWith("error: "));
      return clean ? REFUSED : NOISY_REFUSAL;
    }
    return OTHER;
  }
}
