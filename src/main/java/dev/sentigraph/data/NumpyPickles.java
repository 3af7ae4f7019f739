package dev.sentigraph.data;

import java.util.List;
import net.razorvine.pickle.IObjectConstructor;
import net.razorvine.pickle.Unpickler;

/**
 * Teaches Pyrolite the few numpy classes an object-array pickle names ({@code _reconstruct}, {@code ndarray},
 * {@code dtype}): the array's items arrive through {@code __setstate__}.
 */
final class NumpyPickles {
  /** An unpickled numpy object array; {@code items} is its 1-d content. */
  public static final class ObjectArray {
    private List<?> items;

    List<?> items() {
      return items;
    }

    /** numpy's ndarray state: (version, shape, dtype, is_fortran, items). */
    public void __setstate__(Object[] state) {
      if (state.length >= 5 && state[4] instanceof List<?> list) {
        items = list;
      }
    }
  }

  /** A numpy dtype; its state is not needed for object arrays. */
  public static final class Dtype {
    public void __setstate__(Object[] state) {
      // the object dtype carries nothing the reader needs
    }
  }

  private static boolean registered;

  private NumpyPickles() {}

  static synchronized void register() {
    if (registered) {
      return;
    }
    IObjectConstructor reconstruct = args -> new ObjectArray();
    IObjectConstructor dtype = args -> new Dtype();
    for (String module : List.of("numpy.core.multiarray", "numpy._core.multiarray")) {
      Unpickler.registerConstructor(module, "_reconstruct", reconstruct);
    }
    Unpickler.registerConstructor("numpy", "dtype", dtype);
    Unpickler.registerConstructor("numpy", "ndarray", args -> new ObjectArray());
    registered = true;
  }
}
