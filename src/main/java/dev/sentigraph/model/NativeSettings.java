package dev.sentigraph.model;

import org.tensorflow.Graph;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.op.Ops;

/**
 * Process-wide settings that must be in place before TensorFlow's natives load; the library's entry points
 * apply them once, so callers set no system property.
 *
 * <p>TensorFlow's native log lines (oneDNN notes, SavedModel loading, absl's "All log messages before
 * absl::InitializeLog()" and "MLIR V1 optimization pass is not enabled") are kept off stderr unless
 * {@code SENTIGRAPH_TF_LOGS=1} or the system property {@code sentigraph.tfLogs=true} asks for them (the CLI's
 * {@code --verbose} sets it): {@code TF_CPP_MIN_LOG_LEVEL} becomes 2 where the caller did not set it, and the
 * two absl lines, which ignore that level and print once per process at the first session run, are spent by
 * one tiny session run while stderr briefly points at /dev/null.
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
    if ("1".equals(System.getenv("SENTIGRAPH_TF_LOGS")) || Boolean.getBoolean("sentigraph.tfLogs")) {
      return;
    }
    LibC libc = LibC.INSTANCE;
    if (libc == null) {
      return; // not a libc platform: TensorFlow logs as it does by default
    }
    libc.setenv("TF_CPP_MIN_LOG_LEVEL", "2", 0);
    spendOnceOnlyLogLines(libc);
  }

  private static void spendOnceOnlyLogLines(LibC libc) {
    System.err.flush();
    int saved = libc.dup(2);
    int devNull = libc.open("/dev/null", 1 /* O_WRONLY */);
    if (saved < 0 || devNull < 0 || libc.dup2(devNull, 2) < 0) {
      closeAll(libc, saved, devNull);
      return;
    }
    try (Graph g = new Graph(); Session s = new Session(g)) {
      Ops tf = Ops.create(g);
      try (Result r = s.runner().fetch(tf.constant(1)).run()) {
        // nothing to read: the run is what spends the lines
      }
    } finally {
      libc.dup2(saved, 2);
      closeAll(libc, saved, devNull);
    }
  }

  private static void closeAll(LibC libc, int... fds) {
    for (int fd : fds) {
      if (fd >= 0) {
        libc.close(fd);
      }
    }
  }
}
