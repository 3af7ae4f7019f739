package dev.sentigraph.savedmodel;

import dev.sentigraph.config.LayerConfig;
import dev.sentigraph.config.ModelConfig;
import dev.sentigraph.model.NamedWeight;
import dev.sentigraph.model.SequentialModel;
import dev.sentigraph.model.WeightTransfer;
import dev.sentigraph.runtime.Predictor;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Rebuilds a Keras SavedModel as a sentigraph model when its variables name one sentigraph builds: Embedding,
 * one SimpleRNN, LSTM or GRU, and Dense(1) (a Keras 3 {@code model.export()} of a Sequential model names them
 * {@code sequential/lstm/lstm_cell/kernel}, of a Functional one {@code lstm/lstm_cell/kernel}; a Bidirectional
 * layer's two recurrent groups are not rebuilt). Names and shapes say nothing of activations or of layers without
 * weights, so Keras' defaults are assumed and only {@link #agrees} lets the rebuilt model serve.
 */
public final class KerasGraphRebuild {
  /** The rebuilt model: a config and its weights under sentigraph's names. */
  public record Rebuilt(ModelConfig config, List<NamedWeight> weights) {}

  /** Largest difference from Keras' own graph a rebuilt model may show on the probe reviews. */
  static final double TOLERANCE = 1e-5;
  private static final int PROBE_REVIEWS = 8;
  /** Layer path, weight name, and a loader's optional copy suffix. */
  private static final Pattern WEIGHT_NAME = Pattern.compile("(.+)/(embeddings|kernel|recurrent_kernel|bias)(_\\d+)?");

  private KerasGraphRebuild() {}

  /** Whether a variable op's name is a layer weight the rebuild reads: {@code layer/.../kernel} and the like. */
  public static boolean isWeightName(String opName) {
    return WEIGHT_NAME.matcher(opName).matches();
  }

  /**
   * The model {@code variables} spell, if any: the weights {@link SavedModelPredictor#variables} reads for
   * {@link #isWeightName}, by op name.
   */
  public static Optional<Rebuilt> recognise(Map<String, NamedWeight> variables, int seqLen) {
    Map<String, Map<String, NamedWeight>> groups = new LinkedHashMap<>();
    for (NamedWeight v : variables.values()) {
      Matcher m = WEIGHT_NAME.matcher(v.path()); // a loader's _1 copy holds the same value as the original
      if (m.matches()) {
        groups.computeIfAbsent(m.group(1), k -> new LinkedHashMap<>()).putIfAbsent(m.group(2), v);
      }
    }
    Map<String, NamedWeight> embedding = null;
    Map<String, NamedWeight> recurrent = null;
    Map<String, NamedWeight> dense = null;
    for (Map<String, NamedWeight> g : groups.values()) {
      if (g.containsKey("embeddings") && g.size() == 1 && embedding == null) {
        embedding = g;
      } else if (g.containsKey("recurrent_kernel") && g.containsKey("kernel") && recurrent == null) {
        recurrent = g;
      } else if (g.containsKey("kernel") && g.containsKey("bias") && g.size() == 2 && dense == null) {
        dense = g;
      } else {
        return Optional.empty(); // a second layer of a kind, or a layer sentigraph does not rebuild (Conv1D...)
      }
    }
    if (embedding == null || recurrent == null || dense == null) {
      return Optional.empty();
    }
    long[] e = embedding.get("embeddings").shape();
    long[] k = recurrent.get("kernel").shape();
    long[] rk = recurrent.get("recurrent_kernel").shape();
    long[] dk = dense.get("kernel").shape();
    NamedWeight bias = recurrent.get("bias");
    if (e.length != 2 || k.length != 2 || rk.length != 2 || dk.length != 2 || k[0] != e[1] || k[1] != rk[1]
        || rk[1] % rk[0] != 0 || dk[0] != rk[0] || dk[1] != 1 || dense.get("bias").shape()[0] != 1) {
      return Optional.empty();
    }
    int units = (int) rk[0];
    String className = switch ((int) (rk[1] / rk[0])) {
      case 1 -> "SimpleRNN";
      case 3 -> "GRU";
      case 4 -> "LSTM";
      default -> null;
    };
    if (className == null || className.equals("GRU") && (bias == null || bias.shape().length != 2)) {
      return Optional.empty(); // GRU without reset_after: sentigraph builds Keras' default only
    }
    ModelConfig config = new ModelConfig("keras_savedmodel", seqLen, List.of(
        LayerConfig.of("Embedding", "input_dim", e[0], "output_dim", e[1]),
        LayerConfig.of(className, "units", units, "use_bias", bias != null),
        LayerConfig.of("Dense", "units", 1, "activation", "sigmoid")));
    List<NamedWeight> ordered = new ArrayList<>(List.of(embedding.get("embeddings"), recurrent.get("kernel"),
        recurrent.get("recurrent_kernel")));
    if (bias != null) {
      ordered.add(bias);
    }
    ordered.add(dense.get("kernel"));
    ordered.add(dense.get("bias"));
    SequentialModel model = SequentialModel.of(config);
    return Optional.of(new Rebuilt(config, WeightTransfer.onto(model, ordered, "SavedModel variables")));
  }

  /**
   * Whether {@code rebuilt} gives Keras' probabilities within {@link #TOLERANCE} on probe reviews of random
   * ids below {@code vocabulary}, one of them all padding.
   */
  public static boolean agrees(Predictor keras, Predictor rebuilt, int vocabulary) {
    int seqLen = keras.seqLen();
    Random rng = new Random(20261123);
    int[] tokens = new int[PROBE_REVIEWS * seqLen];
    for (int i = seqLen; i < tokens.length; i++) {
      tokens[i] = rng.nextInt(vocabulary);
    }
    float[] want = keras.predict(tokens, PROBE_REVIEWS);
    float[] got = rebuilt.predict(tokens, PROBE_REVIEWS);
    for (int i = 0; i < want.length; i++) {
      if (!(Math.abs(want[i] - got[i]) <= TOLERANCE)) {
        return false;
      }
    }
    return true;
  }
}
