package dev.sentigraph.model;

import dev.sentigraph.InvalidInputException;
import java.util.ArrayList;
import java.util.List;
import org.tensorflow.op.Ops;

/**
 * A model config made into layers, with every layer's input and output shape and weights worked out, as Keras
 * does when it builds a Sequential model. No graph is needed for this; {@link #build} adds one.
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

  /** Makes the layers and checks that each fits the previous one and that the model ends in Dense(1, sigmoid). */
  public static SequentialModel of(ModelConfig config) {
    if (config.layers().isEmpty()) {
      throw new InvalidInputException("model '" + config.name() + "' has no layers");
    }
    List<Layer> layers = new ArrayList<>();
    List<long[]> in = new ArrayList<>();
    List<long[]> out = new ArrayList<>();
    long[] shape = {config.seqLen()};
    for (int i = 0; i < config.layers().size(); i++) {
      Layer layer = LayerTypes.create(i, config.layers().get(i));
      in.add(shape);
      try {
        shape = layer.outputShape(shape);
      } catch (InvalidInputException e) {
        throw new InvalidInputException("layer " + i + " (" + layer.className() + ") '" + layer.name() + "': "
            + e.getMessage());
      }
      layers.add(layer);
      out.add(shape);
    }
    Layer last = layers.get(layers.size() - 1);
    if (!(last instanceof DenseLayer head) || head.units() != 1 || head.activation() != Activation.SIGMOID
        || shape.length != 1) {
      throw new InvalidInputException("layer " + (layers.size() - 1) + " (" + last.className() + "): a binary"
          + " sentiment model must end in Dense(1, activation='sigmoid') on a flat input");
    }
    return new SequentialModel(config, List.copyOf(layers), List.copyOf(in), List.copyOf(out));
  }

  public ModelConfig config() {
    return config;
  }

  public List<Layer> layers() {
    return layers;
  }

  /** The embedding's {@code input_dim} when the model starts with one (Keras' {@code num_words}), else null. */
  public Integer vocabularySize() {
    return layers.get(0) instanceof EmbeddingLayer e ? e.inputDim() : null;
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
    return new ModelGraph(this, tf, seed);
  }
}
