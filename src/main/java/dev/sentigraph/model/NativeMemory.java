package dev.sentigraph.model;

import com.sun.jna.Native;

/**
 * Gives memory TensorFlow has freed back to the OS. glibc keeps freed blocks in its arenas, so the temporaries
 * of building, optimising and warming a graph stay resident after they are freed (figures in docs/serve.md);
 * {@code malloc_trim} returns them. Called after loads, handovers, unloads and when a server turns idle, never
 * on a request's path. Elsewhere than glibc it does nothing.
 */
public final class NativeMemory {
  private static final LibC LIBC = load();

  private NativeMemory() {}

  private static LibC load() {
    try {
      return Native.load("c", LibC.class);
    } catch (UnsatisfiedLinkError e) {
      return null;
    }
  }

  public static void releaseFreed() {
    if (LIBC == null) {
      return;
    }
    try {
      LIBC.malloc_trim(0);
    } catch (UnsatisfiedLinkError e) {
      // a libc without malloc_trim (musl): nothing to give back this way
    }
  }
}
