package dev.sentigraph.model;

import com.google.gson.JsonElement;
import dev.sentigraph.config.LayerConfig;
import dev.sentigraph.error.InputException;
import dev.sentigraph.layers.Layer;
import dev.sentigraph.layers.WeightSpec;
import java.lang.management.ManagementFactory;
import java.util.List;
import java.util.Locale;

/**
 * Refuses a model whose weights or activations cannot fit this machine's memory before TF allocates anything:
 * TF's allocator aborts the JVM ({@code std::bad_alloc}) or pages for minutes instead of failing cleanly. The
 * estimate is a lower bound (float32 weights times their copies, plus every layer's input and output for the
 * batch), so a refused model would certainly not have fitted.
 */
public final class MemoryBudget {
  /** Serving: the weights once. Training: weights, gradients and up to two optimizer slots. */
  public static final int SERVING_COPIES = 1;
  public static final int TRAINING_COPIES = 4;
  /** Forward activations kept for the backward pass, and their gradients. */
  private static final int TRAINING_ACTIVATION_COPIES = 2;
  /** The Keras arguments that size a layer's weights or activations, most telling first. */
  private static final List<String> SIZE_ARGUMENTS = List.of("input_dim", "output_dim", "units", "filters", "kernel_size");

  private MemoryBudget() {}

  /** The memory this process may use: the machine's (or its container's) physical memory. */
  public static long available() {
    var os = ManagementFactory.getOperatingSystemMXBean();
    if (os instanceof com.sun.management.OperatingSystemMXBean sun && sun.getTotalMemorySize() > 0) {
      return sun.getTotalMemorySize();
    }
    return Runtime.getRuntime().maxMemory();
  }

  /** Throws naming the layer and argument that make {@code model} too large for {@code batchRows} rows. */
  public static void require(SequentialModel model, int batchRows, boolean training) {
    require(model, batchRows, training, available());
  }

  static void require(SequentialModel model, int batchRows, boolean training, long available) {
    int weightCopies = training ? TRAINING_COPIES : SERVING_COPIES;
    int activationCopies = training ? TRAINING_ACTIVATION_COPIES : 1;
    double total = 0;
    int worst = -1;
    double worstBytes = -1;
    boolean worstIsWeights = true;
    for (int i = 0; i < model.layers().size(); i++) {
      double weights = 0;
      for (WeightSpec w : model.weights(i)) {
        double n = 4.0 * weightCopies;
        for (long d : w.shape()) {
          n *= d;
        }
        weights += n;
      }
      double activations = 4.0 * activationCopies * batchRows
          * Math.max(elements(model.inputShape(i)), elements(model.outputShape(i)));
      total += weights + activations;
      if (Math.max(weights, activations) > worstBytes) {
        worst = i;
        worstBytes = Math.max(weights, activations);
        worstIsWeights = weights >= activations;
      }
    }
    if (total <= available) {
      return;
    }
    Layer layer = model.layers().get(worst);
    String argument = largestSizeArgument(layer.config());
    String what = worstIsWeights ? "its weights" : "its activations for " + batchRows + (batchRows == 1 ? " review" : " reviews");
    String culprit = argument != null
        ? "argument '" + argument + "' = " + layer.config().config().get(argument)
        : "sequence length " + model.config().seqLen();
    throw new InputException("layer " + worst + " (" + layer.className() + ") '" + layer.name() + "' "
        + culprit + ": " + what + " need " + gigabytes(worstBytes) + " and the whole model " + gigabytes(total)
        + (training ? " to train" : " to run") + ", more than the " + gigabytes(available)
        + " of memory available: expected a smaller value");
  }

  private static double elements(long[] shape) {
    double n = 1;
    for (long d : shape) {
      n *= d;
    }
    return n;
  }

  private static String largestSizeArgument(LayerConfig config) {
    String best = null;
    double bestValue = 0;
    for (String key : SIZE_ARGUMENTS) {
      JsonElement e = config.config().get(key);
      if (e != null && e.isJsonArray() && e.getAsJsonArray().size() == 1) {
        e = e.getAsJsonArray().get(0);
      }
      if (e != null && e.isJsonPrimitive() && e.getAsJsonPrimitive().isNumber() && e.getAsDouble() > bestValue) {
        best = key;
        bestValue = e.getAsDouble();
      }
    }
    return best;
  }

  private static String gigabytes(double bytes) {
    return String.format(Locale.ROOT, "%.1f GB", bytes / 1e9);
  }
}
