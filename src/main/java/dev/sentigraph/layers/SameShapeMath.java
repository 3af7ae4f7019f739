package dev.sentigraph.layers;

import java.util.List;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.op.math.MulNoNan;
import org.tensorflow.types.TFloat32;

/**
 * Sums and products of two tensors of one shape, for the unrolled recurrent steps. TF's gradients of Add, Sub and
 * Mul reduce over broadcast axes whatever the shapes, seven extra kernels per use (two Shape, BroadcastGradientArgs,
 * two Sum, two Reshape) that run at every step since Grappler, which would fold them, is off. AddN's gradient
 * passes its input on; products use MulNoNan, which has no TF gradient, with the plain one registered here.
 * MulNoNan gives 0 where its second factor is 0 even if the first is not finite: callers pass a gate there.
 */
final class SameShapeMath {
  private SameShapeMath() {}

  static Operand<TFloat32> add(Ops tf, Operand<TFloat32> a, Operand<TFloat32> b) {
    return tf.math.addN(List.of(a, b));
  }

  static Operand<TFloat32> sub(Ops tf, Operand<TFloat32> a, Operand<TFloat32> b) {
    return tf.math.addN(List.of(a, tf.math.neg(b)));
  }

  /** {@code x * gate}, both of one shape; its gradient is d(x*y)/dx = g*y and d(x*y)/dy = g*x, no broadcasting. */
  @SuppressWarnings({"unchecked", "rawtypes"})
  static Operand<TFloat32> mul(Ops tf, Operand<TFloat32> x, Operand<TFloat32> gate) {
    RegisteredGradients.register(MulNoNan.Inputs.class, (t, op, gradOutputs) -> {
      Operand g = gradOutputs.get(0);
      return List.of(t.math.mul(g, op.y), t.math.mul(g, op.x));
    });
    return tf.math.mulNoNan(x, gate);
  }
}
