package dev.sentigraph.layers;

/** One weight of a layer, in Keras' order: its Keras name ({@code kernel}), shape and initializer. */
public record WeightSpec(String name, long[] shape, InitializerSpec initializer, boolean trainable) {
  public long size() {
    long n = 1;
    for (long d : shape) {
      n *= d;
    }
    return n;
  }
}
