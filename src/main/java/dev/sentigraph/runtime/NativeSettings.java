package dev.sentigraph.runtime;

/**
 * The one JavaCPP setting that must be in place before TensorFlow's natives load; the library's entry points
 * apply it once, so callers set no system property. TensorFlow's own settings (threads, logging) are not
 * touched here: sessions take theirs from {@link SessionSettings}, and only the CLI quiets TF's log lines.
 */
public final class NativeSettings {
  private static boolean applied;

  private NativeSettings() {}

  public static synchronized void apply() {
    if (applied) {
      return;
    }
    applied = true;
    // JavaCPP reads /proc for the process size on every native allocation unless its limit is off; TF Java
    // makes several per op, which cost ~1 s of graph building on a 25,000-op training graph
    if (System.getProperty("org.bytedeco.javacpp.maxPhysicalBytes") == null) {
      System.setProperty("org.bytedeco.javacpp.maxPhysicalBytes", "0");
    }
  }
}
