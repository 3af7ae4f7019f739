package dev.sentigraph.spark;

import com.google.gson.Gson;
import com.google.gson.JsonParser;
import dev.sentigraph.config.ModelConfig;
import dev.sentigraph.train.TrainSettings;
import java.io.Serializable;

/**
 * What an executor needs to build the training graph of a data-parallel run, shipped with each task as plain
 * data: the model config and training settings as the run folder writes them (JSON), and the cores the executor
 * has. {@code run} tells apart the graphs of runs that share an executor JVM.
 */
record WorkerSpec(String run, String modelJson, String trainJson, Integer executorThreads) implements Serializable {
  private static final Gson GSON = new Gson();

  static WorkerSpec of(String run, ModelConfig model, TrainSettings train, Integer executorThreads) {
    return new WorkerSpec(run, model.toJsonString(), GSON.toJson(train), executorThreads);
  }

  ModelConfig model() {
    return ModelConfig.fromJson(JsonParser.parseString(modelJson).getAsJsonObject(), "run " + run);
  }

  TrainSettings train() {
    return GSON.fromJson(trainJson, TrainSettings.class);
  }
}
