package dev.sentigraph.io;

import com.sun.jna.Library;
import com.sun.jna.Native;

/** The few libc calls the JDK has no way to make, through JNA: environment, file descriptors, malloc. */
public interface LibC extends Library {
  /** This process's libc, or null where JNA finds none. */
  LibC INSTANCE = load();

  private static LibC load() {
    try {
      return Native.load("c", LibC.class);
    } catch (UnsatisfiedLinkError e) {
      return null;
    }
  }

  int setenv(String name, String value, int overwrite);

  int open(String path, int flags);

  int dup(int fd);

  int dup2(int from, int to);

  int close(int fd);

  /** glibc only: gives free pages in every malloc arena back to the OS; 1 if any were. */
  int malloc_trim(long pad);

  /** glibc only: sets one of malloc's parameters (mallopt(3): {@code M_TOP_PAD} -2, {@code M_MMAP_THRESHOLD} -3); 1 when done. */
  int mallopt(int param, int value);
}
