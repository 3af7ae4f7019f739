package dev.sentigraph.layers;

import java.util.HashSet;
import java.util.Set;
import org.tensorflow.TensorFlow;
import org.tensorflow.op.CustomGradient;
import org.tensorflow.op.RawOpInputs;

/**
 * The gradients sentigraph registers with TF Java, once per process and op type. TF takes one only for an op type
 * that has none of its own; a refusal would leave a layer differentiated by another rule (IdentityN's identity
 * gradient would give a GRU chain none at all), so it fails loudly instead.
 */
final class RegisteredGradients {
  private static final Set<Class<?>> REGISTERED = new HashSet<>();

  private RegisteredGradients() {}

  static synchronized <T extends RawOpInputs<?>> void register(Class<T> inputs, CustomGradient<T> gradient) {
    if (REGISTERED.contains(inputs)) {
      return;
    }
    if (!TensorFlow.registerCustomGradient(inputs, gradient)) {
      throw new IllegalStateException("TensorFlow refused sentigraph's gradient for "
          + inputs.getEnclosingClass().getSimpleName() + ": this TensorFlow has one of its own");
    }
    REGISTERED.add(inputs);
  }
}
