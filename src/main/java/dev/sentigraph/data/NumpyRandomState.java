package dev.sentigraph.data;

/**
 * numpy's legacy {@code RandomState(seed)}: MT19937 seeded with {@code init_genrand}, and {@code shuffle} as
 * numpy does it (Fisher-Yates from the end, bounded draws by masking and rejection), so that Keras'
 * {@code load_data(seed=113)} order is reproduced bit for bit.
 */
public final class NumpyRandomState {
  private static final int N = 624;
  private static final int M = 397;
  private final int[] mt = new int[N];
  private int pos;

  public NumpyRandomState(long seed) {
    if (seed < 0 || seed > 0xffffffffL) {
      throw new IllegalArgumentException("seed must be in [0, 2^32), got " + seed);
    }
    mt[0] = (int) seed;
    for (int i = 1; i < N; i++) {
      int prev = mt[i - 1];
      mt[i] = 1812433253 * (prev ^ (prev >>> 30)) + i;
    }
    pos = N;
  }

  /** The next 32 random bits, as an unsigned value. */
  public long nextUint32() {
    if (pos >= N) {
      regenerate();
    }
    int y = mt[pos++];
    y ^= y >>> 11;
    y ^= (y << 7) & 0x9d2c5680;
    y ^= (y << 15) & 0xefc60000;
    y ^= y >>> 18;
    return y & 0xffffffffL;
  }

  private void regenerate() {
    for (int i = 0; i < N; i++) {
      int y = (mt[i] & 0x80000000) | (mt[(i + 1) % N] & 0x7fffffff);
      int next = mt[(i + M) % N] ^ (y >>> 1);
      if ((y & 1) != 0) {
        next ^= 0x9908b0df;
      }
      mt[i] = next;
    }
    pos = 0;
  }

  /** A uniform integer in [0, max], drawn as numpy's {@code random_interval} does. */
  public long randomInterval(long max) {
    if (max == 0) {
      return 0;
    }
    long mask = max;
    mask |= mask >>> 1;
    mask |= mask >>> 2;
    mask |= mask >>> 4;
    mask |= mask >>> 8;
    mask |= mask >>> 16;
    if (max > 0xffffffffL) {
      throw new IllegalArgumentException("ranges past 2^32 are not needed here");
    }
    long value;
    do {
      value = nextUint32() & mask;
    } while (value > max);
    return value;
  }

  /** Shuffles in place like {@code RandomState.shuffle} on a 1-d array. */
  public void shuffle(int[] values) {
    for (int i = values.length - 1; i >= 1; i--) {
      int j = (int) randomInterval(i);
      int tmp = values[i];
      values[i] = values[j];
      values[j] = tmp;
    }
  }

  /** {@code shuffle(np.arange(n))}. */
  public int[] permutation(int n) {
    int[] p = new int[n];
    for (int i = 0; i < n; i++) {
      p[i] = i;
    }
    shuffle(p);
    return p;
  }
}
