package dev.sentigraph.model;

/**
 * Process-wide settings that must be in place before TensorFlow's natives load; the library's entry points
 * apply them, so callers set no system property.
 */
public final class NativeSettings {
  private NativeSettings() {}

  /**
   * JavaCPP reads /proc for the process size on every native allocation unless its limit is off; TF Java makes
   * several per op, which cost ~1 s of graph building on a 25,000-op training graph. A caller's own setting wins.
   */
  public static void apply() {
    if (System.getProperty("org.bytedeco.javacpp.maxPhysicalBytes") == null) {
      System.setProperty("org.bytedeco.javacpp.maxPhysicalBytes", "0");
    }
  }
}
