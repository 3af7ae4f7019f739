package dev.sentigraph.train;

import dev.sentigraph.config.ModelConfig;
import dev.sentigraph.data.DataSettings;

/** A notebook experiment: the model, how its data is prepared and how it is trained. */
public record Preset(String name, String description, ModelConfig model, DataSettings data, TrainSettings train) {}
