package dev.sentigraph.model;

import com.google.gson.JsonObject;
import dev.sentigraph.config.ExecutionOptions;
import dev.sentigraph.data.KerasTextVectorization;
import dev.sentigraph.data.OutputMode;
import dev.sentigraph.error.InputException;
import dev.sentigraph.layers.BatchChains;
import dev.sentigraph.layers.DenseLayer;
import dev.sentigraph.layers.EmbeddingLayer;
import dev.sentigraph.layers.GraphMode;
import dev.sentigraph.layers.Layer;
import dev.sentigraph.layers.LayerCall;
import dev.sentigraph.layers.MergeLayer;
import dev.sentigraph.layers.TableInput;
import dev.sentigraph.layers.WeightSpec;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.tensorflow.Operand;
import org.tensorflow.Output;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.Tensor;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.op.core.Variable;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;
import org.tensorflow.types.TInt64;
import org.tensorflow.types.family.TNumber;

/**
 * A model's variables in a graph, and its forward pass, which may be added several times (a training pass
 * with dropout and an inference pass share the same variables). Also moves weights in and out of a session.
 */
public final class ModelGraph {
  private final SequentialModel model;
  private final Ops tf;
  private final List<ModelVariable> variables = new ArrayList<>();
  private final Map<String, ModelVariable> byPath = new LinkedHashMap<>();
  private final Map<String, Placeholder<TFloat32>> assignInputs = new LinkedHashMap<>();
  private final List<Op> assigns = new ArrayList<>();
  private final Op initializer;
  private final ExecutionOptions options;

  ModelGraph(SequentialModel model, Ops tf, long seed, ExecutionOptions options) {
    MemoryBudget.require(model, 1, false);
    this.model = model;
    this.tf = tf;
    this.options = options;
    List<Op> inits = new ArrayList<>();
    int weightNumber = 0;
    for (int i = 0; i < model.layers().size(); i++) {
      Layer layer = model.layers().get(i);
      for (WeightSpec spec : model.weights(i)) {
        Ops scope = tf.withSubScope(layer.name());
        String[] parts = spec.name().split("/"); // a wrapper's weights: bidirectional/forward/kernel
        for (int p = 0; p < parts.length - 1; p++) {
          scope = scope.withSubScope(parts[p]);
        }
        Variable<TFloat32> v = scope.withName(parts[parts.length - 1]).variable(Shape.of(spec.shape()), TFloat32.class);
        ModelVariable mv = new ModelVariable(i, layer.name(), spec.name(), spec.shape(), spec.trainable(), v);
        variables.add(mv);
        byPath.put(mv.path(), mv);
        inits.add(tf.assign(v, spec.initializer().create(tf, spec.shape(), seed + 7919L * weightNumber++)));
        Placeholder<TFloat32> in = tf.placeholder(TFloat32.class, Placeholder.shape(Shape.of(spec.shape())));
        assignInputs.put(mv.path(), in);
        assigns.add(tf.assign(v, in));
      }
    }
    this.initializer = tf.withControlDependencies(inits).withName("model_init").noOp();
  }

  public SequentialModel model() {
    return model;
  }

  public List<ModelVariable> variables() {
    return variables;
  }

  public List<ModelVariable> trainableVariables() {
    return variables.stream().filter(ModelVariable::trainable).toList();
  }

  /** Runs once in a new session to give every weight its initial value. */
  public Op initializer() {
    return initializer;
  }

  /**
   * Adds a forward pass: token ids {@code [batch, seqLen]} to logits {@code [batch, 1]} (the sigmoid head's
   * input; the probability is {@code sigmoid(logits)}). {@code seed} ([2] int64) drives dropout masks.
   */
  public Operand<TFloat32> logits(Operand<TInt32> tokens, boolean training, Operand<TInt64> seed) {
    JsonObject text = model.config().graph() == null ? null : model.config().graph().textVectorization();
    OutputMode mode = text == null ? OutputMode.INT : KerasTextVectorization.outputMode(text, model.config().name());
    if (mode.perWord()) {
      // only the serving pass builds the per-word vector; here the Dense layers would read the ids themselves
      throw new InputException("model '" + model.config().name() + "' reads a TextVectorization "
          + mode.kerasName() + " vector: sentigraph scores such models but does not train or export them"
          + " (expected output_mode int)");
    }
    return forward(tokens, training, seed, null);
  }

  /**
   * What the model gives for its heads' {@code logits}: their sigmoid or softmax for a head with that activation,
   * the logits themselves for one trained {@code from_logits} ({@link SequentialModel#outputs()}); several heads'
   * logits, side by side in a row, each in its own columns.
   */
  public Operand<TFloat32> head(Operand<TFloat32> logits) {
    List<ModelOutput> outputs = model.outputs();
    if (outputs.size() == 1) {
      return activated(outputs.get(0).kind(), logits);
    }
    long[] widths = outputs.stream().mapToLong(ModelOutput::width).toArray();
    List<Output<TFloat32>> parts = tf.splitV(logits, tf.constant(widths), tf.constant(1), (long) widths.length)
        .output();
    List<Operand<TFloat32>> heads = new ArrayList<>();
    for (int k = 0; k < outputs.size(); k++) {
      heads.add(activated(outputs.get(k).kind(), parts.get(k)));
    }
    return tf.concat(heads, tf.constant(1));
  }

  private Operand<TFloat32> activated(ModelOutput.Kind kind, Operand<TFloat32> logits) {
    return switch (kind) {
      case PROBABILITY -> tf.math.sigmoid(logits);
      case CLASS_PROBABILITIES -> tf.nn.softmax(logits);
      case LOGIT, CLASS_LOGITS -> logits;
    };
  }

  /** A serving pass: logits, and the op that refreshes its cached tables after the weights change. */
  public record ServingPass(Operand<TFloat32> logits, Op refresh) {}

  /**
   * Adds an inference pass for a session that only serves: an Embedding feeding a recurrent or Conv1D layer
   * reads a cached {@link ProjectedEmbedding} table, which {@link ServingPass#refresh} fills; run it after
   * writing weights.
   */
  public ServingPass servingPass(Operand<TInt32> tokens) {
    return servingPass(tokens, null);
  }

  /**
   * {@link #servingPass(Operand)} for a model whose Dense layers read a per-word vector: the pass starts by
   * building it from {@code tokens} as {@code features} say (null: the layers read the ids themselves).
   */
  public ServingPass servingPass(Operand<TInt32> tokens, WordFeatures features) {
    List<Op> refreshes = new ArrayList<>();
    Operand<? extends TNumber> input = features == null ? tokens : features.encode(tf, tokens);
    Operand<TFloat32> logits = forward(input, false, tf.constant(new long[] {0, 0}), refreshes);
    return new ServingPass(logits, tf.withControlDependencies(refreshes).withName("refresh_tables").noOp());
  }

  /**
   * The forward pass. An Embedding feeding a {@link TableInput} layer is read through a {@link
   * ProjectedEmbedding} table: cached in variables whose refresh ops go to {@code tables} (non-null: a serving
   * pass), or computed in the graph.
   */
  private Operand<TFloat32> forward(Operand<? extends TNumber> input, boolean training, Operand<TInt64> seed,
      List<Op> tables) {
    return BatchChains.building(options, () -> addForward(input, training, seed, tables));
  }

  @SuppressWarnings("unchecked")
  private Operand<TFloat32> addForward(Operand<? extends TNumber> input, boolean training, Operand<TInt64> seed,
      List<Op> tables) {
    List<Layer> layers = model.layers();
    List<Operand<? extends TNumber>> outputs = new ArrayList<>();
    int start = 0;
    GraphMode mode = tables != null ? GraphMode.SERVE
        : training ? GraphMode.TRAIN : GraphMode.EVALUATE;
    int fed = ProjectedEmbedding.consumer(model, mode);
    if (fed >= 0) {
      TableInput next = (TableInput) layers.get(fed);
      Operand<TFloat32> embeddings = weightsOf(0).get(0);
      List<Operand<TFloat32>> nextWeights = weightsOf(fed);
      Operand<TFloat32> table = tables != null
          ? ProjectedEmbedding.cached(tf.withSubScope(layers.get(0).name()), (EmbeddingLayer) layers.get(0), next,
              embeddings, nextWeights, tables)
          : next.project(tf, embeddings, nextWeights);
      for (int i = 0; i < fed; i++) {
        outputs.add(null); // read by nobody but the next layer, all folded into the table
      }
      // an Embedding reads the model input, so it is the ids themselves
      outputs.add(next.callFromTable(tf, table, (Operand<TInt32>) input, model.inputShape(fed)[0], nextWeights, mode));
      start = fed + 1;
    }
    List<Integer> heads = model.outputLayers();
    for (int i = start; i < layers.size(); i++) {
      int[] from = model.inputsOf(i);
      Operand<? extends TNumber> x = from[0] < 0 ? input : outputs.get(from[0]);
      if (layers.get(i) instanceof MergeLayer merge) {
        List<Operand<TFloat32>> inputs = new ArrayList<>();
        List<long[]> shapes = new ArrayList<>();
        for (int f : from) {
          inputs.add(floats(f < 0 ? input : outputs.get(f)));
          shapes.add(f < 0 ? new long[] {model.config().seqLen()} : model.outputShape(f));
        }
        outputs.add(merge.merge(tf, inputs, shapes));
        continue;
      }
      LayerCall call = new LayerCall(tf, x, model.inputShape(i), weightsOf(i), training, seed, i);
      outputs.add(heads.contains(i) ? ((DenseLayer) layers.get(i)).preActivation(call) : layers.get(i).call(call));
    }
    if (heads.size() == 1) {
      return floats(outputs.get(heads.get(0)));
    }
    return tf.concat(heads.stream().map(h -> floats(outputs.get(h))).toList(), tf.constant(1));
  }

  @SuppressWarnings("unchecked")
  private Operand<TFloat32> floats(Operand<? extends TNumber> x) {
    return x.type() == TFloat32.class ? (Operand<TFloat32>) x : tf.dtypes.cast(x, TFloat32.class);
  }

  private List<Operand<TFloat32>> weightsOf(int layer) {
    List<Operand<TFloat32>> w = new ArrayList<>();
    for (ModelVariable mv : variables) {
      if (mv.layerIndex() == layer) {
        w.add(mv.variable());
      }
    }
    return w;
  }

  /** The current values of every weight, in model order. */
  public List<NamedWeight> readWeights(Session session) {
    Session.Runner runner = session.runner();
    for (ModelVariable mv : variables) {
      runner.fetch(mv.variable());
    }
    List<NamedWeight> out = new ArrayList<>();
    try (Result result = runner.run()) {
      for (int i = 0; i < variables.size(); i++) {
        ModelVariable mv = variables.get(i);
        TFloat32 t = (TFloat32) result.get(i);
        float[] values = new float[(int) mv.size()];
        t.asRawTensor().data().asFloats().read(values);
        out.add(new NamedWeight(mv.path(), mv.shape(), values));
      }
    }
    return out;
  }

  /** Sets every weight; each model weight must be given exactly once, with its Keras shape. */
  public void writeWeights(Session session, List<NamedWeight> weights) {
    Map<String, NamedWeight> given = new LinkedHashMap<>();
    for (NamedWeight w : weights) {
      given.put(w.path(), w);
    }
    for (String path : given.keySet()) {
      if (!byPath.containsKey(path)) {
        throw new InputException("weight '" + path + "' is not in model '" + model.config().name()
            + "': expected " + byPath.keySet());
      }
    }
    List<Tensor> tensors = new ArrayList<>();
    try {
      Session.Runner runner = session.runner();
      for (ModelVariable mv : variables) {
        NamedWeight w = given.get(mv.path());
        if (w == null) {
          throw new InputException("weight '" + mv.path() + "' is missing: expected shape "
              + Arrays.toString(mv.shape()));
        }
        if (!Arrays.equals(w.shape(), mv.shape()) || w.values().length != mv.size()) {
          throw new InputException("weight '" + mv.path() + "' has shape " + Arrays.toString(w.shape())
              + ": expected " + Arrays.toString(mv.shape()));
        }
        TFloat32 t = TFloat32.tensorOf(Shape.of(mv.shape()), DataBuffers.of(w.values(), true, false));
        tensors.add(t);
        runner.feed(assignInputs.get(mv.path()), t);
      }
      for (Op op : assigns) {
        runner.addTarget(op);
      }
      runner.run();
    } finally {
      tensors.forEach(Tensor::close);
    }
  }
}
