package dev.sentigraph.model;

import dev.sentigraph.data.DataSettings;
import dev.sentigraph.train.TrainSettings;

/** A notebook experiment: the model, how its data is prepared and how it is trained. */
public record Preset(String name, String description, ModelConfig model, DataSettings data, TrainSettings train) {}
