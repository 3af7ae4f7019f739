package dev.sentigraph.model;

import com.sun.jna.Library;

/** The few libc calls the JDK has no way to make, through JNA: environment, file descriptors, malloc. */
interface LibC extends Library {
  int setenv(String name, String value, int overwrite);

  int open(String path, int flags);

  int dup(int fd);

  int dup2(int from, int to);

  int close(int fd);

  /** glibc only: gives free pages in every malloc arena back to the OS; 1 if any were. */
  int malloc_trim(long pad);
}
