package dev.sentigraph.cli;

import dev.sentigraph.io.LibC;
import org.tensorflow.Graph;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.op.Ops;
import org.tensorflow.proto.ConfigProto;

/**
 * Keeps TensorFlow's native log lines (oneDNN notes, SavedModel loading, absl's "All log messages before
 * absl::InitializeLog()" and "MLIR V1 optimization pass is not enabled") off the terminal, unless
 * {@code --verbose} or {@code SENTIGRAPH_TF_LOGS=1} asks for them. It changes the process (its environment and,
 * for a moment, its stderr), so the CLI does it, never the library.
 *
 * <p>TF's own lines obey {@code TF_CPP_MIN_LOG_LEVEL} (2 where the user did not set it). absl's two lines ignore
 * it (the absl copy inside TF's natives is out of reach) and print once per process, at the first session run:
 * a tiny session spends them while stderr points at /dev/null. That session must not size TF's process-wide
 * thread pools, which the first session would otherwise do for every later one (it once made lstm training 1.7x
 * slower): with {@code TF_OVERRIDE_GLOBAL_THREADPOOL=1} every session owns the kernel pool its settings ask for,
 * and the tiny one runs on threads of its own ({@code use_per_session_threads}), freed when it closes.
 */
final class NativeLogs {
  private static final int O_WRONLY = 1;
  private static boolean quieted;

  private NativeLogs() {}

  /** Quiets TF's native logs for this process; a no-op after the first call or where libc is not found. */
  static synchronized void quiet() {
    if (quieted) {
      return;
    }
    quieted = true;
    LibC libc = LibC.INSTANCE;
    if (libc == null) {
      return; // not a libc platform: TensorFlow logs as it does by default
    }
    // read by TF at its first log line and its first device, so before any session exists
    libc.setenv("TF_CPP_MIN_LOG_LEVEL", "2", 0);
    libc.setenv("TF_OVERRIDE_GLOBAL_THREADPOOL", "1", 0);
    System.err.flush();
    int saved = libc.dup(2);
    int devNull = libc.open("/dev/null", O_WRONLY);
    if (saved < 0 || devNull < 0 || libc.dup2(devNull, 2) < 0) {
      closeAll(libc, saved, devNull);
      return;
    }
    ConfigProto ownThreads = ConfigProto.newBuilder().setUsePerSessionThreads(true)
        .setIntraOpParallelismThreads(1).setInterOpParallelismThreads(1).build();
    try (Graph g = new Graph(); Session s = new Session(g, ownThreads)) {
      try (Result r = s.runner().fetch(Ops.create(g).constant(1)).run()) {
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
