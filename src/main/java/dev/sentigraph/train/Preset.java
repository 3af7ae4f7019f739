package dev.sentigraph.train;

import dev.sentigraph.data.DataSettings;
import dev.sentigraph.model.ModelConfig;

/** A notebook experiment: the model, how its data is prepared and how it is trained. */
public record Preset(String name, String description, ModelConfig model, DataSettings data, TrainSettings train) {}
