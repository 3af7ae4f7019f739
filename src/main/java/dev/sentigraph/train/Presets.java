package dev.sentigraph.train;

import com.google.gson.JsonArray;
import com.google.gson.JsonNull;
import com.google.gson.JsonObject;
import dev.sentigraph.config.LayerConfig;
import dev.sentigraph.config.ModelConfig;
import dev.sentigraph.data.DataSettings;
import dev.sentigraph.error.InputException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Every experiment of the IMDB notebooks (see reference-results.md), with its data and training settings. */
public final class Presets {
  private static final Map<String, Preset> PRESETS = new LinkedHashMap<>();

  static {
    add("irnn", "IRNN: SimpleRNN(5, relu) with identity recurrent init (Le et al.), 20000 words, 80 tokens",
        20000, 80, train("rmsprop", 1e-4, 32, 10),
        embedding(20000, 50),
        layer("SimpleRNN", "units", 5, "activation", "relu",
            "kernel_initializer", initializer("RandomNormal", "mean", 0.0, "stddev", 0.001),
            "recurrent_initializer", initializer("Identity", "gain", 1.0)),
        head());
    add("rnn-stacked", "Two stacked SimpleRNN(100) on 5000 words, 500 tokens", 5000, 500, train("adam", 1e-3, 64, 3),
        embedding(5000, 32), layer("SimpleRNN", "units", 100, "return_sequences", true),
        layer("SimpleRNN", "units", 100), head());
    add("lstm-small", "LSTM(100) on a 32-d embedding of 5000 words, 500 tokens", 5000, 500, train("adam", 1e-3, 64, 3),
        embedding(5000, 32), layer("LSTM", "units", 100), head());
    add("dense-raw", "Dense(250, relu) straight on the token ids (the notebooks' cautionary baseline)", 10000, 500,
        train("adam", 1e-3, 128, 10), layer("Dense", "units", 250, "activation", "relu"), head());
    add("dense-embedding", "Embedding(10000, 100), Flatten, Dense(250, relu)", 10000, 500, train("adam", 1e-3, 128, 10),
        embedding(10000, 100), layer("Flatten"), layer("Dense", "units", 250, "activation", "relu"), head());
    add("cnn", "Conv1D(32, 3, same, relu) + MaxPooling1D(2) + Dense(250, relu)", 10000, 500, train("adam", 1e-3, 128, 2),
        embedding(10000, 100), conv(), layer("MaxPooling1D", "pool_size", 2), layer("Flatten"),
        layer("Dense", "units", 250, "activation", "relu"), head());
    add("rnn", "SimpleRNN(100) on a 100-d embedding, 500 tokens", 10000, 500, train("adam", 1e-3, 128, 10),
        embedding(10000, 100), layer("SimpleRNN", "units", 100), head());
    add("lstm", "LSTM(100, dropout 0.3) on a 100-d embedding, 500 tokens", 10000, 500, train("adam", 1e-3, 128, 2),
        embedding(10000, 100), layer("LSTM", "units", 100, "dropout", 0.3), head());
    add("cnn-lstm", "Conv1D + MaxPooling1D, then LSTM(100, dropout 0.3)", 10000, 500, train("adam", 1e-3, 128, 1),
        embedding(10000, 100), conv(), layer("MaxPooling1D", "pool_size", 2),
        layer("LSTM", "units", 100, "dropout", 0.3), head());
    add("cnn-gru", "Conv1D + MaxPooling1D, then GRU(100)", 10000, 500, train("adam", 1e-3, 64, 3),
        embedding(10000, 100), conv(), layer("MaxPooling1D", "pool_size", 2), layer("GRU", "units", 100), head());
    add("cnn-gru-dropout", "Conv1D + MaxPooling1D, then GRU(100, dropout 0.3)", 10000, 500, train("adam", 1e-3, 128, 1),
        embedding(10000, 100), conv(), layer("MaxPooling1D", "pool_size", 2),
        layer("GRU", "units", 100, "dropout", 0.3), head());
    add("mean-embedding", "The mean of 32-d word embeddings (GlobalAveragePooling1D), 5000 words, 100 tokens", 5000, 100,
        train("adam", 1e-3, 64, 3), embedding(5000, 32), layer("GlobalAveragePooling1D"), head());
    add("lstm128", "LSTM(128) on a 32-d embedding of 5000 words, 100 tokens", 5000, 100, train("adam", 1e-3, 64, 3),
        embedding(5000, 32), layer("LSTM", "units", 128), head());
    add("bilstm", "keras.io's Bidirectional LSTM on IMDB: two Bidirectional LSTM(64), 20000 words, 200 tokens",
        20000, 200, train("adam", 1e-3, 32, 2), embedding(20000, 128),
        layer("Bidirectional", "layer", wrapped("LSTM", "units", 64, "return_sequences", true)),
        layer("Bidirectional", "layer", wrapped("LSTM", "units", 64)), head());
    addText("text-cnn", "keras.io's text classification from scratch: raw text through TextVectorization(20000, 500),"
        + " Embedding(20000, 128), two Conv1D(128, 7, strides 3), GlobalMaxPooling1D, Dense(128)", 20000, 500,
        train("adam", 1e-3, 32, 3), embedding(20000, 128), layer("Dropout", "rate", 0.5),
        layer("Conv1D", "filters", 128, "kernel_size", 7, "padding", "valid", "activation", "relu", "strides", 3),
        layer("Conv1D", "filters", 128, "kernel_size", 7, "padding", "valid", "activation", "relu", "strides", 3),
        layer("GlobalMaxPooling1D"), layer("Dense", "units", 128, "activation", "relu"), layer("Dropout", "rate", 0.5),
        head());
  }

  private Presets() {}

  public static Preset get(String name) {
    Preset p = PRESETS.get(name);
    if (p == null) {
      throw new InputException("preset '" + name + "' is unknown: expected one of " + String.join(", ", PRESETS.keySet()), "preset");
    }
    return p;
  }

  public static List<Preset> all() {
    return List.copyOf(PRESETS.values());
  }

  private static void add(String name, String description, int numWords, int seqLen, TrainSettings train,
      LayerConfig... layers) {
    ModelConfig model = new ModelConfig(name.replace('-', '_'), seqLen, List.of(layers));
    PRESETS.put(name, new Preset(name, description, model, DataSettings.keras(numWords, seqLen), train));
  }

  /**
   * A model that reads raw text: a Keras Sequential config whose string input goes through a TextVectorization
   * ({@code lower_and_strip_punctuation}, whitespace split, {@code maxTokens} words including "" and [UNK], cut
   * and padded at the end to {@code seqLen}), adapted on the training reviews when the run starts.
   */
  private static void addText(String name, String description, int maxTokens, int seqLen, TrainSettings train,
      LayerConfig... layers) {
    JsonArray list = new JsonArray();
    JsonObject input = LayerConfig.arguments("batch_shape", new Object[] {null, 1}, "dtype", "string",
        "sparse", false, "name", "text");
    input.getAsJsonArray("batch_shape").set(0, JsonNull.INSTANCE);
    list.add(keras("InputLayer", input));
    JsonObject vectorization = LayerConfig.arguments("name", "text_vectorization", "trainable", true,
        "max_tokens", maxTokens, "standardize", "lower_and_strip_punctuation", "split", "whitespace", "output_mode",
        "int", "output_sequence_length", seqLen, "pad_to_max_tokens", false, "sparse", false, "ragged", false,
        "encoding", "utf-8");
    for (String none : List.of("ngrams", "vocabulary", "idf_weights")) { // Keras' from_config reads them
      vectorization.add(none, JsonNull.INSTANCE);
    }
    list.add(keras("TextVectorization", vectorization));
    for (LayerConfig layer : new ModelConfig(name, seqLen, List.of(layers)).layers()) { // with Keras' names
      list.add(keras(layer.className(), layer.config()));
    }
    JsonObject config = new JsonObject();
    config.addProperty("name", name.replace('-', '_'));
    config.addProperty("trainable", true);
    config.add("layers", list);
    ModelConfig model = ModelConfig.fromJson(keras("Sequential", config), "preset " + name);
    PRESETS.put(name, new Preset(name, description, model, DataSettings.vectorized(maxTokens, seqLen), train));
  }

  /** A layer or model as Keras 3 serialises it, so that the config reads back in Keras as it is. */
  private static JsonObject keras(String className, JsonObject config) {
    JsonObject o = new JsonObject();
    o.addProperty("module", className.equals("Sequential") ? "keras" : "keras.layers");
    o.addProperty("class_name", className);
    o.add("config", config);
    o.add("registered_name", JsonNull.INSTANCE);
    return o;
  }

  private static TrainSettings train(String optimizer, double lr, int batch, int epochs) {
    return new TrainSettings(optimizer, lr, batch, epochs, "test", 1);
  }

  private static LayerConfig embedding(int words, int dim) {
    return layer("Embedding", "input_dim", words, "output_dim", dim);
  }

  private static LayerConfig conv() {
    return layer("Conv1D", "filters", 32, "kernel_size", 3, "padding", "same", "activation", "relu");
  }

  private static LayerConfig head() {
    return layer("Dense", "units", 1, "activation", "sigmoid");
  }

  private static LayerConfig layer(String className, Object... args) {
    return LayerConfig.of(className, args);
  }

  /** A layer given as another layer's argument (Bidirectional's {@code layer}). */
  private static JsonObject wrapped(String className, Object... args) {
    return layer(className, args).toJson();
  }

  private static JsonObject initializer(String className, Object... config) {
    JsonObject o = new JsonObject();
    o.addProperty("class_name", className);
    o.add("config", LayerConfig.arguments(config));
    return o;
  }

  /** Names in definition order, for help texts. */
  public static List<String> names() {
    return new ArrayList<>(PRESETS.keySet());
  }
}
