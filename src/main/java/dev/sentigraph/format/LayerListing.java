package dev.sentigraph.format;

import dev.sentigraph.keras.KerasFile;
import java.util.List;

/**
 * A model's layers as {@code inspect} lists them.
 *
 * @param kind what the file is, e.g. "Keras file"
 * @param file the model's config, weights and data settings
 * @param weightSources for each weight in order, the h5 dataset it came from; null where weights live in TF
 *     checkpoints
 * @param fromCudnn for each weight, whether it was converted from CuDNN's layout (empty when none could be)
 */
public record LayerListing(String kind, KerasFile file, List<String> weightSources, List<Boolean> fromCudnn) {}
