package dev.sentigraph.layers;

import dev.sentigraph.config.LayerConfig;
import dev.sentigraph.error.InputException;
import java.util.Arrays;
import java.util.List;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * Keras' merge layers, which combine two or more inputs of a Functional model: {@code Add}, {@code Multiply},
 * {@code Average} element-wise on equal shapes, {@code Concatenate} along an axis. They have no weights.
 */
public final class MergeLayer implements Layer {
  enum Kind { ADD, MULTIPLY, AVERAGE, CONCATENATE }

  private final LayerConfig config;
  private final Kind kind;
  private final int axis;

  private MergeLayer(LayerConfig config, LayerArgs args, Kind kind) {
    this.config = config;
    this.kind = kind;
    this.axis = kind == Kind.CONCATENATE ? args.getInt("axis", -1) : 0;
    args.rejectUnknown();
  }

  static MergeLayer add(LayerConfig config, LayerArgs args) {
    return new MergeLayer(config, args, Kind.ADD);
  }

  static MergeLayer multiply(LayerConfig config, LayerArgs args) {
    return new MergeLayer(config, args, Kind.MULTIPLY);
  }

  static MergeLayer average(LayerConfig config, LayerArgs args) {
    return new MergeLayer(config, args, Kind.AVERAGE);
  }

  static MergeLayer concatenate(LayerConfig config, LayerArgs args) {
    return new MergeLayer(config, args, Kind.CONCATENATE);
  }

  @Override
  public LayerConfig config() {
    return config;
  }

  @Override
  public long[] outputShape(long[] inputShape) {
    throw new InputException("a merge layer needs at least two inputs, got one");
  }

  /** The output shape for the inputs' shapes (one example each, no batch dimension). */
  public long[] outputShape(List<long[]> shapes) {
    if (shapes.size() < 2) {
      throw new InputException("a merge layer needs at least two inputs, got " + shapes.size());
    }
    long[] first = shapes.get(0);
    if (kind != Kind.CONCATENATE) {
      for (long[] s : shapes) {
        if (!Arrays.equals(s, first)) {
          throw new InputException("inputs of shapes " + describe(shapes) + ": expected equal shapes");
        }
      }
      return first.clone();
    }
    int a = concatAxis(first.length);
    long[] out = first.clone();
    out[a] = 0;
    for (long[] s : shapes) {
      boolean fits = s.length == first.length;
      for (int d = 0; fits && d < s.length; d++) {
        fits = d == a || s[d] == first[d];
      }
      if (!fits) {
        throw new InputException("inputs of shapes " + describe(shapes) + ": expected equal shapes except"
            + " along axis " + axis);
      }
      out[a] += s[a];
    }
    return out;
  }

  /** The axis within one example's shape; Keras' axis counts the batch dimension. */
  private int concatAxis(int rank) {
    int a = axis < 0 ? rank + axis : axis - 1;
    if (a < 0 || a >= rank) {
      throw new InputException("axis " + axis + " does not fit inputs of rank " + (rank + 1));
    }
    return a;
  }

  private static String describe(List<long[]> shapes) {
    return String.join(", ", shapes.stream().map(Layer::shape).toList());
  }

  @Override
  public List<WeightSpec> weights(long[] inputShape) {
    return List.of();
  }

  @Override
  public Operand<TFloat32> call(LayerCall call) {
    throw new IllegalStateException("a merge layer is called through merge()");
  }

  /** The merged output of {@code inputs}, whose one-example shapes are {@code shapes}. */
  public Operand<TFloat32> merge(Ops tf, List<Operand<TFloat32>> inputs, List<long[]> shapes) {
    if (kind == Kind.CONCATENATE) {
      return tf.concat(inputs, tf.constant(concatAxis(shapes.get(0).length) + 1));
    }
    Operand<TFloat32> x = inputs.get(0);
    for (int i = 1; i < inputs.size(); i++) {
      x = kind == Kind.MULTIPLY ? tf.math.mul(x, inputs.get(i)) : tf.math.add(x, inputs.get(i));
    }
    return kind == Kind.AVERAGE ? tf.math.div(x, tf.constant((float) inputs.size())) : x;
  }
}
