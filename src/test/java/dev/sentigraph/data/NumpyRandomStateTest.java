package dev.sentigraph.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** Values printed by numpy 2 ({@code np.random.RandomState}) in the project's venv. */
class NumpyRandomStateTest {
  @Test
  void rawDrawsMatchMt19937() {
    NumpyRandomState r = new NumpyRandomState(1);
    assertEquals(1791095845L, r.nextUint32());
    assertEquals(4282876139L, r.nextUint32());
    assertEquals(3093770124L, r.nextUint32());
  }

  @Test
  void permutationMatchesNumpy() {
    assertArrayEquals(new int[] {9, 3, 6, 1, 0, 7, 4, 8, 2, 5}, new NumpyRandomState(113).permutation(10));
  }

  @Test
  void secondShuffleContinuesTheSameStreamAsLoadData() {
    NumpyRandomState r = new NumpyRandomState(113);
    int[] train = r.permutation(25000);
    int[] test = r.permutation(25000);
    assertArrayEquals(new int[] {7798, 13226, 18078, 793, 17499}, java.util.Arrays.copyOf(train, 5));
    assertArrayEquals(new int[] {22690, 4828, 14501}, java.util.Arrays.copyOfRange(train, 24997, 25000));
    assertArrayEquals(new int[] {22748, 4083, 8015, 13688, 5310}, java.util.Arrays.copyOf(test, 5));
  }
}
