package dev.sentigraph.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sentigraph.error.InputException;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** imdb.npz reading: what numpy writes comes back exactly; anything else is one InputException. */
class NpzFileTest {
  private static Path write(byte[] bytes) throws Exception {
    Path f = Files.createTempFile("npz", ".npz");
    f.toFile().deleteOnExit();
    Files.write(f, bytes);
    return f;
  }

  private static String refusal(byte[] npz) throws Exception {
    Path f = write(npz);
    return assertThrows(InputException.class, () -> ImdbLoader.readRanks(f)).getMessage();
  }

  private static List<List<Integer>> reviews(int n) {
    return java.util.stream.IntStream.range(0, n).mapToObj(i -> List.of(i + 1, 2, 3)).toList();
  }

  @Property(tries = 60)
  void whatNumpyWritesReadsBack(@ForAll @Size(min = 1, max = 8) List<@Size(max = 12) List<@IntRange(max = 100_000) Integer>> train,
      @ForAll @Size(min = 1, max = 8) List<@Size(max = 12) List<@IntRange(max = 100_000) Integer>> test) throws Exception {
    long[] yTrain = train.stream().mapToLong(r -> r.size() % 2).toArray();
    long[] yTest = test.stream().mapToLong(r -> (r.size() + 1) % 2).toArray();
    TokenSequences[] read = ImdbLoader.readRanks(write(NumpyWriter.imdb(train, yTrain, test, yTest)));
    assertEquals(train.size(), read[0].size());
    for (int i = 0; i < train.size(); i++) {
      assertArrayEquals(train.get(i).stream().mapToInt(Integer::intValue).toArray(), read[0].sequences()[i]);
    }
    assertArrayEquals(Arrays.stream(yTest).mapToInt(v -> (int) v).toArray(), read[1].labels());
  }

  @Provide
  Arbitrary<Object> hostileItem() {
    return Arbitraries.oneOf(Arbitraries.strings().ofMaxLength(5).map(s -> (Object) s), Arbitraries.of(true, false),
        Arbitraries.just((Object) null), Arbitraries.doubles().map(d -> (Object) d),
        Arbitraries.integers().lessOrEqual(-1).map(i -> (Object) i),
        Arbitraries.just((Object) BigInteger.TWO.pow(63)), Arbitraries.just((Object) List.of(1, 2)));
  }

  @Property(tries = 60)
  void hostileReviewItemsAreRefusedNamingReviewAndItem(@ForAll("hostileItem") Object item, @ForAll @IntRange(max = 3) int at)
      throws Exception {
    List<Object> bad = new java.util.ArrayList<>(List.of(4, 5, 6, 7));
    bad.set(at, item);
    List<Object> x = List.of(List.of(1, 2), bad);
    String m = refusal(NumpyWriter.imdb(x, new long[] {0, 1}, reviews(1), new long[] {1}));
    assertTrue(m.contains("array 'x_train' review 1 item " + at + " is "), m);
    assertTrue(m.endsWith("expected an integer word rank in [0, " + NpzFile.MAX_RANK + "]"), m);
  }

  @Property(tries = 40)
  void labelsOutsideZeroOneAreRefused(@ForAll long label) throws Exception {
    if (label == 0 || label == 1) {
      return;
    }
    String m = refusal(NumpyWriter.imdb(reviews(2), new long[] {0, label}, reviews(1), new long[] {1}));
    assertTrue(m.endsWith("y_train label 1 is " + label + ": expected 0 or 1")
        || m.endsWith("element 1 is " + label + ": expected a 32-bit integer"), m);
  }

  @Property(tries = 60)
  void corruptedBytesNeverEscapeAsOtherExceptions(@ForAll @IntRange(min = 0, max = 2000) int position, @ForAll byte value,
      @ForAll @IntRange(min = 0, max = 3) int cut) throws Exception {
    byte[] npz = NumpyWriter.imdb(reviews(3), new long[] {0, 1, 0}, reviews(2), new long[] {1, 0});
    byte[] damaged = Arrays.copyOf(npz, cut == 0 ? npz.length / 2 : npz.length);
    damaged[position % damaged.length] = value;
    Path f = write(damaged);
    try {
      ImdbLoader.readRanks(f);
    } catch (InputException e) {
      assertTrue(e.getMessage().startsWith(f.toString()) || e.getMessage().contains(f.toString()), e.getMessage());
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"99999999999999999999,", "-1,", "3, 2", "4611686018427387904, 4"})
  void headersWithImpossibleShapesAreRefused(String shape) throws Exception {
    Map<String, byte[]> m = new java.util.LinkedHashMap<>();
    m.put("x_train", NumpyWriter.npy("|O", shape, NumpyWriter.pickle(reviews(3))));
    m.put("y_train", NumpyWriter.npy("<i8", shape, NumpyWriter.int64s(0, 1, 0)));
    m.put("x_test", NumpyWriter.objectArray(reviews(1)));
    m.put("y_test", NumpyWriter.int64Array(1));
    String msg = refusal(NumpyWriter.npz(m));
    assertTrue(msg.contains("array 'x_train' has shape"), msg);
  }

  @Test
  void headerClaimingMoreElementsThanHeldIsRefused() throws Exception {
    Map<String, byte[]> m = new java.util.LinkedHashMap<>();
    m.put("x_train", NumpyWriter.npy("|O", "5,", NumpyWriter.pickle(reviews(3))));
    m.put("y_train", NumpyWriter.int64Array(0, 1, 0));
    m.put("x_test", NumpyWriter.objectArray(reviews(1)));
    m.put("y_test", NumpyWriter.npy("<i8", "1000000,", NumpyWriter.int64s(1)));
    String msg = refusal(NumpyWriter.npz(m));
    assertTrue(msg.endsWith("array 'x_train' has a header that claims 5 reviews but its pickle holds 3: expected them to agree"), msg);
    m.put("x_train", NumpyWriter.objectArray(reviews(3)));
    msg = refusal(NumpyWriter.npz(m));
    assertTrue(msg.endsWith("array 'y_test' is truncated: its header claims 1000000 elements (8000000 bytes), the file holds 8 bytes"), msg);
  }
}
