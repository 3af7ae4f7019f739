package dev.sentigraph.keras;

import dev.sentigraph.error.InputException;
import io.jhdf.HdfFile;
import io.jhdf.api.Dataset;
import io.jhdf.api.Node;
import io.jhdf.exceptions.HdfException;

/** Reading weights out of an HDF5 file with jhdf, for the {@code .keras} archive's h5 and legacy {@code .h5} files. */
final class HdfWeights {
  private HdfWeights() {}

  /** The node at {@code path}, or null where there is none. */
  static Node node(HdfFile hdf, String path) {
    try {
      return hdf.getByPath(path);
    } catch (HdfException e) {
      return null;
    }
  }

  /** A dataset's values as float32 (float64 is narrowed); {@code where} names the file and dataset in errors. */
  static float[] floats(Dataset d, String where) {
    Object data = d.getDataFlat();
    if (data instanceof float[] f) {
      return f;
    }
    if (data instanceof double[] v) {
      float[] f = new float[v.length];
      for (int i = 0; i < v.length; i++) {
        f[i] = (float) v[i];
      }
      return f;
    }
    throw new InputException(where + " holds " + d.getJavaType().getSimpleName()
        + " values: expected float32 weights");
  }
}
