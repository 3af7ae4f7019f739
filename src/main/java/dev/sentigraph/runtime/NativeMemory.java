package dev.sentigraph.runtime;

import dev.sentigraph.io.LibC;

/**
 * Gives memory TensorFlow has freed back to the OS. glibc keeps freed blocks in its arenas, so the temporaries
 * of building, optimising and warming a graph stay resident after they are freed (figures in docs/serve.md);
 * {@code malloc_trim} returns them. Called after loads, handovers, unloads and when a server turns idle, never
 * on a request's path. Elsewhere than glibc it does nothing.
 */
public final class NativeMemory {
  private NativeMemory() {}

  public static void releaseFreed() {
    if (LibC.INSTANCE == null) {
      return;
    }
    try {
      LibC.INSTANCE.malloc_trim(0);
    } catch (UnsatisfiedLinkError e) {
      // a libc without malloc_trim (musl): nothing to give back this way
    }
  }
}
