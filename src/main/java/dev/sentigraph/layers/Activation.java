package dev.sentigraph.layers;

import java.util.Arrays;
import java.util.List;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/** The Keras activations the IMDB models use, by their Keras names. */
public enum Activation {
  LINEAR("linear"),
  RELU("relu"),
  TANH("tanh"),
  SIGMOID("sigmoid"),
  /** Keras 3's {@code relu6(x + 3) / 6} (Keras 2 used {@code clip(0.2 x + 0.5, 0, 1)}). */
  HARD_SIGMOID("hard_sigmoid"),
  /** Over the last axis, as Keras applies it: the head of a K-class model. */
  SOFTMAX("softmax");

  private final String kerasName;

  Activation(String kerasName) {
    this.kerasName = kerasName;
  }

  public String kerasName() {
    return kerasName;
  }

  public Operand<TFloat32> apply(Ops tf, Operand<TFloat32> x) {
    return switch (this) {
      case LINEAR -> x;
      case RELU -> tf.nn.relu(x);
      case TANH -> tf.math.tanh(x);
      case SIGMOID -> tf.math.sigmoid(x);
      case HARD_SIGMOID -> tf.math.div(tf.nn.relu6(tf.math.add(x, tf.constant(3f))), tf.constant(6f));
      case SOFTMAX -> tf.nn.softmax(x);
    };
  }

  static Activation byKerasName(String name) {
    for (Activation a : values()) {
      if (a.kerasName.equals(name)) {
        return a;
      }
    }
    return null;
  }

  static List<String> kerasNames() {
    return Arrays.stream(values()).map(Activation::kerasName).toList();
  }
}
