package dev.sentigraph.model;

import dev.sentigraph.config.ExecutionOptions;
import dev.sentigraph.config.ModelConfig;
import dev.sentigraph.error.InputException;
import dev.sentigraph.layers.Activation;
import dev.sentigraph.layers.DenseLayer;
import dev.sentigraph.layers.EmbeddingLayer;
import dev.sentigraph.layers.Layer;
import dev.sentigraph.layers.LayerTypes;
import dev.sentigraph.layers.MergeLayer;
import dev.sentigraph.layers.WeightSpec;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.tensorflow.op.Ops;

/**
 * A model config made into layers, with every layer's input and output shape and weights worked out, as Keras
 * does when it builds a model: a Sequential list, or a Functional graph ({@link LayerGraph}) whose layers come in
 * call order. No TensorFlow graph is needed for this; {@link #build} adds one.
 */
public final class SequentialModel {
  private final ModelConfig config;
  private final List<Layer> layers;
  private final List<long[]> inputShapes;
  private final List<long[]> outputShapes;

  private SequentialModel(ModelConfig config, List<Layer> layers, List<long[]> in, List<long[]> out) {
    this.config = config;
    this.layers = layers;
    this.inputShapes = in;
    this.outputShapes = out;
  }

  /**
   * Makes the layers and checks that each fits its inputs (the previous layer, or those its {@link LayerGraph}
   * names) and that the model ends in Dense(1, sigmoid).
   */
  public static SequentialModel of(ModelConfig config) {
    if (config.layers().isEmpty()) {
      throw new InputException("model '" + config.name() + "' has no layers");
    }
    List<Layer> layers = new ArrayList<>();
    List<long[]> in = new ArrayList<>();
    List<long[]> out = new ArrayList<>();
    // a model of any length is checked at a nominal one; build() needs a length picked with withSeqLen
    long[] modelInput = {config.anyLength() ? ModelConfig.NOMINAL_LENGTH : config.seqLen()};
    long[] shape = modelInput;
    for (int i = 0; i < config.layers().size(); i++) {
      Layer layer = LayerTypes.create(i, config.layers().get(i));
      List<long[]> shapes = new ArrayList<>();
      for (int from : inputsOf(config, i)) {
        shapes.add(from < 0 ? modelInput : out.get(from));
      }
      in.add(shapes.get(0));
      try {
        if (layer instanceof MergeLayer merge) {
          shape = merge.outputShape(shapes);
        } else if (shapes.size() != 1) {
          throw new InputException("takes one input, got " + shapes.size());
        } else {
          shape = layer.outputShape(shapes.get(0));
        }
      } catch (InputException e) {
        throw new InputException("layer " + i + " (" + layer.className() + ") '" + layer.name() + "': "
            + e.getMessage());
      }
      layers.add(layer);
      out.add(shape);
    }
    List<Integer> heads = outputLayers(config);
    for (int h : heads) {
      Layer head = layers.get(h);
      if (!(head instanceof DenseLayer dense) || out.get(h).length != 1 || headKind(dense) == null) {
        throw new InputException("layer " + h + " (" + head.className() + ") '" + head.name() + "': a sentiment"
            + " model's output must be, on a flat input, Dense(1) with activation 'sigmoid' or none (a logit), or"
            + " Dense(K) with activation 'softmax' or none (K class logits)");
      }
      for (int i = h + 1; i < layers.size(); i++) {
        if (Arrays.stream(inputsOf(config, i)).anyMatch(f -> f == h)) {
          throw new InputException("output layer '" + head.name() + "' is also read by layer '"
              + layers.get(i).name() + "': expected outputs that no layer reads");
        }
      }
    }
    return new SequentialModel(config, List.copyOf(layers), List.copyOf(in), List.copyOf(out));
  }

  /** What a Dense head gives, or null for a head sentigraph does not read. */
  private static ModelOutput.Kind headKind(DenseLayer head) {
    boolean binary = head.units() == 1;
    return switch (head.activation()) {
      case SIGMOID -> binary ? ModelOutput.Kind.PROBABILITY : null;
      case LINEAR -> binary ? ModelOutput.Kind.LOGIT : ModelOutput.Kind.CLASS_LOGITS;
      case SOFTMAX -> binary ? null : ModelOutput.Kind.CLASS_PROBABILITIES;
      default -> null;
    };
  }

  /** The layers whose outputs the model gives, in Keras' order: the last one, or a Functional model's named heads. */
  private static List<Integer> outputLayers(ModelConfig config) {
    return config.graph() == null ? List.of(config.layers().size() - 1) : config.graph().outputs();
  }

  /** The layers whose outputs the model gives, in Keras' order. */
  public List<Integer> outputLayers() {
    return outputLayers(config);
  }

  /**
   * What the model gives: each head's kind, one value or K per review, named for its kind when there is one head
   * (as sentigraph's exports name it) and for its layer when there are several (as Keras names them).
   */
  public List<ModelOutput> outputs() {
    List<Integer> heads = outputLayers();
    return heads.stream().map(h -> {
      DenseLayer head = (DenseLayer) layers.get(h);
      ModelOutput.Kind kind = headKind(head);
      return new ModelOutput(heads.size() == 1 ? kind.defaultName() : head.name(), new long[] {-1, head.units()},
          kind);
    }).toList();
  }

  /**
   * The model's one output.
   *
   * @throws InputException for a model with several, naming them: training and sentigraph's SavedModel export
   *     take one
   */
  public ModelOutput output() {
    List<ModelOutput> all = outputs();
    if (all.size() != 1) {
      throw new InputException("model '" + config.name() + "' has " + all.size() + " outputs "
          + all.stream().map(ModelOutput::name).toList() + ": training and sentigraph's SavedModel export take a"
          + " model with one output (export it as .keras, or from Keras with model.export(dir))");
    }
    return all.get(0);
  }

  /** The layers that layer {@code i} reads (-1: the model input): the previous one unless a graph says otherwise. */
  private static int[] inputsOf(ModelConfig config, int i) {
    return config.graph() == null ? new int[] {i - 1} : config.graph().inputs().get(i).clone();
  }

  /** The layers that layer {@code i} reads, in call order; -1 is the model input. */
  public int[] inputsOf(int i) {
    return inputsOf(config, i);
  }

  /**
   * Whether layers 0..{@code last} form a plain chain from the model input: each reads only the previous one, and
   * nothing else reads any of them but the next.
   */
  boolean chainsUpTo(int last) {
    for (int i = 0; i <= last; i++) {
      int[] from = inputsOf(i);
      if (from.length != 1 || from[0] != i - 1) {
        return false;
      }
    }
    for (int j = 0; j < layers.size(); j++) {
      for (int from : inputsOf(j)) {
        if (from >= 0 && from < last && j != from + 1) {
          return false;
        }
      }
    }
    return true;
  }

  public ModelConfig config() {
    return config;
  }

  public List<Layer> layers() {
    return layers;
  }

  /**
   * What the model input is: token ids when every layer that reads it is an Embedding (the vocabulary is the
   * smallest {@code input_dim}), else a vector of features as wide as the input (a Dense layer reading a
   * word-presence vector), which token ids must never fill.
   */
  public ModelInput input() {
    Integer vocabulary = null;
    for (int i = 0; i < layers.size(); i++) {
      if (Arrays.stream(inputsOf(i)).noneMatch(from -> from < 0)) {
        continue;
      }
      if (!(layers.get(i) instanceof EmbeddingLayer e)) {
        return new ModelInput.DenseFeatures(config.seqLen());
      }
      vocabulary = vocabulary == null ? e.inputDim() : Math.min(vocabulary, e.inputDim());
    }
    return new ModelInput.TokenIds(config.seqLen(), vocabulary);
  }

  /**
   * Why a pass fed token ids (training, sentigraph's own SavedModel) cannot run this model, in one phrase: its input
   * feeds a layer other than an Embedding and no TextVectorization of its own builds that vector (only scoring
   * builds it, {@link WordFeatures}); empty when ids are its input.
   */
  public Optional<String> featureInput() {
    boolean ownVectorization = config.graph() != null && config.graph().textVectorization() != null;
    return input() instanceof ModelInput.DenseFeatures features && !ownVectorization
        ? Optional.of("model '" + config.name() + "' takes " + features.describe() + " (its input feeds a layer"
            + " other than an Embedding)")
        : Optional.empty();
  }

  /** The path of the embedding matrix the model input is looked up in ({@code name/embeddings}), or null. */
  public String inputEmbeddingPath() {
    for (int i = 0; i < layers.size(); i++) {
      if (layers.get(i) instanceof EmbeddingLayer && Arrays.equals(inputsOf(i), new int[] {-1})) {
        return layers.get(i).name() + "/embeddings";
      }
    }
    return null;
  }

  public long[] inputShape(int layer) {
    return inputShapes.get(layer).clone();
  }

  public long[] outputShape(int layer) {
    return outputShapes.get(layer).clone();
  }

  public List<WeightSpec> weights(int layer) {
    return layers.get(layer).weights(inputShapes.get(layer));
  }

  public long paramCount(int layer) {
    return weights(layer).stream().mapToLong(WeightSpec::size).sum();
  }

  public long paramCount() {
    long n = 0;
    for (int i = 0; i < layers.size(); i++) {
      n += paramCount(i);
    }
    return n;
  }

  public long trainableParamCount() {
    long n = 0;
    for (int i = 0; i < layers.size(); i++) {
      n += weights(i).stream().filter(WeightSpec::trainable).mapToLong(WeightSpec::size).sum();
    }
    return n;
  }

  /** Forward FLOPs of one example; a training step costs about three times this per example. */
  public long forwardFlops() {
    long n = 0;
    for (int i = 0; i < layers.size(); i++) {
      n += layers.get(i).forwardFlops(inputShapes.get(i));
    }
    return n;
  }

  /** Creates the model's variables in {@code tf}'s graph; {@code seed} fixes their initial values. */
  public ModelGraph build(Ops tf, long seed) {
    return build(tf, seed, ExecutionOptions.DEFAULT);
  }

  /** The graph as {@link #build(Ops, long)}, with the batch chains {@code options} ask for. */
  public ModelGraph build(Ops tf, long seed, ExecutionOptions options) {
    if (config.anyLength()) {
      throw new IllegalStateException("model '" + config.name() + "' takes any input length: build it with"
          + " config().withSeqLen(length)");
    }
    return new ModelGraph(this, tf, seed, options);
  }
}
