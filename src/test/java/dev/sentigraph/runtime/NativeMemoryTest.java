package dev.sentigraph.runtime;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.sun.jna.Native;
import com.sun.jna.Pointer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class NativeMemoryTest {
  private static final int BLOCK = 64 << 10;
  private static final int BLOCKS = 1024;

  /** glibc keeps freed small blocks resident below a live one; releaseFreed gives them back. */
  @Test
  void freedNativeBlocksLeaveTheResidentSet() throws IOException {
    assumeTrue(Files.isReadable(Path.of("/proc/self/status")), "needs Linux /proc");
    long[] blocks = new long[BLOCKS];
    for (int i = 0; i < BLOCKS; i++) {
      blocks[i] = Native.malloc(BLOCK);
      new Pointer(blocks[i]).setMemory(0, BLOCK, (byte) 1);
    }
    long pin = Native.malloc(BLOCK); // keeps the freed blocks from being the top of the heap, which free() trims
    for (long b : blocks) {
      Native.free(b);
    }
    long before = residentKb();
    NativeMemory.releaseFreed();
    long after = residentKb();
    Native.free(pin);
    assertTrue(before - after > (long) BLOCK * BLOCKS / 1024 / 2,
        "64 MB freed: resident " + before + " kB before releaseFreed, " + after + " kB after");
  }

  private static long residentKb() throws IOException {
    for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
      if (line.startsWith("VmRSS:")) {
        return Long.parseLong(line.replaceAll("\\D", ""));
      }
    }
    throw new IllegalStateException("no VmRSS in /proc/self/status");
  }
}
