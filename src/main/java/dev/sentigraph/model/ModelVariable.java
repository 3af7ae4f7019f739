package dev.sentigraph.model;

import org.tensorflow.op.core.Variable;
import org.tensorflow.types.TFloat32;

/**
 * One weight of a built model. {@code path} is {@code layerName/weightName} ({@code lstm/kernel}), the key
 * used for checkpoints, export and weight import.
 */
public record ModelVariable(int layerIndex, String layerName, String weightName, long[] shape, boolean trainable,
    Variable<TFloat32> variable) {
  public String path() {
    return layerName + "/" + weightName;
  }

  public long size() {
    long n = 1;
    for (long d : shape) {
      n *= d;
    }
    return n;
  }
}
