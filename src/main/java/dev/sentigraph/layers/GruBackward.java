package dev.sentigraph.layers;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.tensorflow.GraphOperation;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.IdentityN;
import org.tensorflow.op.linalg.MatMul;
import org.tensorflow.types.TFloat32;

/**
 * A hand-written backward for one chain of Keras' default GRU (reset_after, sigmoid gates, tanh). TF's own
 * gradient of the unrolled steps multiplies for the recurrent kernel's gradient at every step ([units, rows] x
 * [rows, 3 units], summed over the steps); here that is one product over every step's rows after the loop, and a
 * step's backward is 11 kernels with one matmul. The chain's last state leaves through an {@code IdentityN} whose
 * gradient is registered here; its first input is that state behind a StopGradient, so TF differentiates none of
 * the forward steps, and the rest are what the gradient is for (the recurrent kernel, its bias row, the zero
 * state and every step's z, r and h input columns). The steps' gates reach the backward as the inputs of a second
 * IdentityN behind that StopGradient: TF holds the graph's lock while it builds gradients, so ops cannot be looked
 * up by name then, only followed along inputs. IdentityN ops that are not a chain's get the identity gradient.
 */
final class GruBackward {
  /** One step's forward values, as the backward reads them: the state it started from and its gates. */
  record Step(Operand<TFloat32> hPrev, Operand<TFloat32> z, Operand<TFloat32> reset, Operand<TFloat32> innerH,
      Operand<TFloat32> candidate, Operand<TFloat32> diff, Operand<TFloat32> h) {}

  private static final String NAME = "GruChainOut";
  private static final int VALUES_PER_STEP = 6;

  private GruBackward() {}

  /**
   * The chain's last state {@code h}, which its gradient reaches through the backward here. {@code x} holds every
   * step's [z, r, h] input columns, {@code kernel} is the recurrent kernel [units, 3 units], {@code bias} its row.
   */
  static Operand<TFloat32> attach(Ops tf, Operand<TFloat32> h, List<List<Operand<TFloat32>>> x,
      Operand<TFloat32> zeros, Operand<TFloat32> kernel, Operand<TFloat32> bias, List<Step> steps) {
    register();
    List<Operand<?>> kept = new ArrayList<>(List.of(h));
    for (Step s : steps) {
      kept.addAll(List.of(s.hPrev(), s.z(), s.reset(), s.innerH(), s.candidate(), s.diff()));
    }
    Operand<?> stopped = tf.stopGradient(tf.identityN(kept).output().get(0));
    List<Operand<?>> inputs = new ArrayList<>(List.of(stopped, kernel, bias, zeros));
    for (List<Operand<TFloat32>> columns : x) {
      inputs.addAll(columns);
    }
    @SuppressWarnings("unchecked")
    Operand<TFloat32> last = (Operand<TFloat32>) tf.withName(NAME).identityN(inputs).output().get(0);
    return last;
  }

  /** The step values kept for the backward if {@code node} is a chain's output, else null. */
  private static List<Operand<?>> kept(GraphOperation node) {
    String name = node.name().substring(node.name().lastIndexOf('/') + 1);
    if (!name.startsWith(NAME)) {
      return null;
    }
    GraphOperation stop = (GraphOperation) node.input(0).op();
    GraphOperation keeper = stop.type().equals("StopGradient") ? (GraphOperation) stop.input(0).op() : null;
    if (keeper == null || !keeper.type().equals("IdentityN") || (keeper.numInputs() - 1) % VALUES_PER_STEP != 0) {
      return null;
    }
    List<Operand<?>> values = new ArrayList<>();
    for (int i = 1; i < keeper.numInputs(); i++) {
      values.add(keeper.input(i));
    }
    return values;
  }

  @SuppressWarnings({"unchecked", "rawtypes"})
  private static void register() {
    RegisteredGradients.register(IdentityN.Inputs.class, (tf, op, gradOutputs) -> {
      List<Operand<?>> inputs = new ArrayList<>();
      op.input.forEach(inputs::add);
      List<Operand<?>> kept = kept((GraphOperation) op.getOutputs().op());
      if (kept == null || gradOutputs.get(0) == null) {
        List<Operand<?>> same = new ArrayList<>();
        for (int i = 0; i < inputs.size(); i++) {
          same.add(gradOutputs.get(i) != null ? gradOutputs.get(i) : tf.zerosLike((Operand) inputs.get(i)));
        }
        return same;
      }
      return backward(tf, (Operand<TFloat32>) gradOutputs.get(0), inputs, kept);
    });
  }

  @SuppressWarnings({"unchecked", "rawtypes"})
  private static List<Operand<?>> backward(Ops tf, Operand<TFloat32> dh, List<Operand<?>> inputs,
      List<Operand<?>> kept) {
    Operand<TFloat32> kernel = (Operand<TFloat32>) inputs.get(1);
    int n = kept.size() / VALUES_PER_STEP;
    List<Operand<TFloat32>> dx = new ArrayList<>(Collections.nCopies(3 * n, null));
    List<Operand<TFloat32>> dInner = new ArrayList<>(Collections.nCopies(n, null));
    List<Operand<TFloat32>> hPrev = new ArrayList<>(Collections.nCopies(n, null));
    for (int t = n - 1; t >= 0; t--) {
      List<Operand<?>> s = kept.subList(VALUES_PER_STEP * t, VALUES_PER_STEP * (t + 1));
      hPrev.set(t, (Operand<TFloat32>) s.get(0));
      Operand<TFloat32> z = (Operand<TFloat32>) s.get(1);
      Operand<TFloat32> reset = (Operand<TFloat32>) s.get(2);
      Operand<TFloat32> innerH = (Operand<TFloat32>) s.get(3);
      Operand<TFloat32> candidate = (Operand<TFloat32>) s.get(4);
      Operand<TFloat32> diff = (Operand<TFloat32>) s.get(5);
      Operand<TFloat32> carried = tf.math.mul(dh, z); // h_prev's share through z * h_prev
      Operand<TFloat32> dz = tf.math.sigmoidGrad(z, tf.math.mul(dh, diff));
      // at tanh's input: through (1 - z) * hh
      Operand<TFloat32> dCandidate = tf.math.tanhGrad(candidate, tf.math.sub(dh, carried));
      Operand<TFloat32> dr = tf.math.sigmoidGrad(reset, tf.math.mul(dCandidate, innerH));
      Operand<TFloat32> d = tf.concat(List.of(dz, dr, tf.math.mul(dCandidate, reset)), tf.constant(1));
      dx.set(3 * t, dz);
      dx.set(3 * t + 1, dr);
      dx.set(3 * t + 2, dCandidate);
      dInner.set(t, d);
      dh = tf.math.add(carried, tf.linalg.matMul(d, kernel, MatMul.transposeB(true)));
    }
    Operand<TFloat32> allInner = tf.concat(dInner, tf.constant(0)); // [steps * rows, 3 units]
    Operand<TFloat32> dKernel = tf.linalg.matMul(tf.concat(hPrev, tf.constant(0)), allInner, MatMul.transposeA(true));
    Operand<TFloat32> dBias = tf.sum(allInner, tf.constant(0));
    List<Operand<?>> grads = new ArrayList<>();
    grads.add(tf.zerosLike((Operand) inputs.get(0)));
    grads.add(dKernel);
    grads.add(dBias);
    grads.add(dh);
    grads.addAll(dx);
    return grads;
  }
}
