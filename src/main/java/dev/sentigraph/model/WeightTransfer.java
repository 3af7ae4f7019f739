package dev.sentigraph.model;

import dev.sentigraph.error.InputException;
import dev.sentigraph.layers.Layer;
import dev.sentigraph.layers.WeightSpec;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Puts weights saved from one model onto another of the same architecture, as Keras'
 * {@code model.set_weights(other.get_weights())} does: by position, not by name, since Keras names layers per
 * session ({@code lstm_3}); every shape must agree.
 */
public final class WeightTransfer {
  private WeightTransfer() {}

  /** {@code source}'s values under {@code target}'s weight names; {@code origin} names the source in errors. */
  public static List<NamedWeight> onto(SequentialModel target, List<NamedWeight> source, String origin) {
    List<NamedWeight> out = new ArrayList<>();
    int k = 0;
    for (int i = 0; i < target.layers().size(); i++) {
      Layer layer = target.layers().get(i);
      for (WeightSpec spec : target.weights(i)) {
        String path = layer.name() + "/" + spec.name();
        if (k >= source.size()) {
          throw new InputException(origin + " has " + source.size() + " weights: layer " + i + " ("
              + layer.className() + ") needs " + path + " " + Arrays.toString(spec.shape()) + " and more");
        }
        NamedWeight w = source.get(k++);
        if (!Arrays.equals(w.shape(), spec.shape())) {
          throw new InputException(origin + ": weight " + w.path() + " has shape " + Arrays.toString(w.shape())
              + " but layer " + i + " (" + layer.className() + ") needs " + path + " " + Arrays.toString(spec.shape()));
        }
        out.add(new NamedWeight(path, spec.shape(), w.values()));
      }
    }
    if (k != source.size()) {
      throw new InputException(origin + " has " + source.size() + " weights but the model has " + k
          + ": expected the same architecture");
    }
    return out;
  }
}
