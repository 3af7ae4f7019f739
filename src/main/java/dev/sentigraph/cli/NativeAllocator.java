package dev.sentigraph.cli;

import dev.sentigraph.io.LibC;

/**
 * Keeps glibc's malloc from handing TensorFlow's step buffers back to the OS between ops. A recurrent serving
 * graph allocates and frees a few hundred kilobytes per op at each of hundreds of steps; with glibc's defaults an
 * arena's free top is trimmed and the next op faults its pages in again (tens of thousands of page faults a
 * second on the thread running the graph), so lstm inference ran at 900-3,700 reviews/s from one process to the
 * next. A top pad makes each arena keep 64 MB above its top and a fixed mmap threshold keeps such buffers in the
 * arenas: 3,200-3,700 in every run (docs/performance.md). A fixed trim threshold alone is worse than nothing:
 * it freezes the mmap threshold at 128 KB, so every step buffer is mapped and unmapped. {@code NativeMemory}'s
 * explicit trims still give memory back when a server turns idle. Like {@link NativeLogs} this changes the
 * process, so the CLI does it, never the library; thresholds set in the environment win.
 */
final class NativeAllocator {
  private static final int M_TOP_PAD = -2;
  private static final int M_MMAP_THRESHOLD = -3;
  private static final int TOP_PAD = 64 << 20;
  /** glibc's largest mmap threshold on 64-bit: larger blocks (whole tables) are still mapped and unmapped. */
  private static final int MMAP_THRESHOLD = 32 << 20;
  private static boolean applied;

  private NativeAllocator() {}

  /** Sets the pad and threshold once per process; a no-op where libc has no mallopt or the user set them. */
  static synchronized void keepStepBuffers() {
    if (applied) {
      return;
    }
    applied = true;
    LibC libc = LibC.INSTANCE;
    if (libc == null || CliEnvironment.mallocTuned()) {
      return;
    }
    try {
      libc.mallopt(M_TOP_PAD, TOP_PAD);
      libc.mallopt(M_MMAP_THRESHOLD, MMAP_THRESHOLD);
    } catch (UnsatisfiedLinkError e) {
      // not glibc (musl has no mallopt): its allocator is left as it is
    }
  }
}
