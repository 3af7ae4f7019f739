package dev.sentigraph.model;

import com.google.gson.JsonObject;
import dev.sentigraph.data.DataSettings;
import java.nio.file.Path;
import java.util.List;

/**
 * A model with its weights and how its input was prepared: what a run folder, a {@code .keras} file or an
 * export carries.
 *
 * @param data how reviews were turned into ids (offsets, vocabulary size, padding); null when unknown
 * @param wordIndex the word-to-rank JSON used for raw text; null when unknown
 * @param metrics the test metrics measured after training (as {@code metrics.json}); null when unknown
 */
public record TrainedModel(ModelConfig config, List<NamedWeight> weights, DataSettings data, Path wordIndex,
    JsonObject metrics) {}
