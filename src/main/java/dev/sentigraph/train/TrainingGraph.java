package dev.sentigraph.train;

import dev.sentigraph.config.ExecutionOptions;
import dev.sentigraph.layers.GraphMode;
import dev.sentigraph.model.MemoryBudget;
import dev.sentigraph.model.ModelGraph;
import dev.sentigraph.model.ModelOutput;
import dev.sentigraph.model.ModelVariable;
import dev.sentigraph.model.NamedWeight;
import dev.sentigraph.model.SequentialModel;
import dev.sentigraph.runtime.SessionSettings;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Output;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.op.core.Variable;
import org.tensorflow.proto.RunMetadata;
import org.tensorflow.proto.RunOptions;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;
import org.tensorflow.types.TInt64;

/**
 * A model, its optimizer and both of its passes in one graph and session: the training pass (dropout on)
 * with loss, accuracy and the update (binary cross-entropy for a Dense(1) head, sparse categorical cross-entropy
 * for a Dense(K) one, as Keras compiles them), and the inference pass over the same variables. Gradients are taken
 * for the model's trainable variables only, never for optimizer or metric state.
 */
public final class TrainingGraph implements AutoCloseable {
  /** Loss and accuracy of one training batch. */
  public record StepResult(float loss, float accuracy) {}

  private final Graph graph;
  private final Session session;
  private final ModelGraph model;
  private final Placeholder<TInt32> tokens;
  private final Placeholder<TFloat32> labels;
  private final Placeholder<TInt64> seed;
  private final Operand<TFloat32> loss;
  private final Operand<TFloat32> accuracy;
  private final Op trainOp;
  private final Operand<TFloat32> inferenceLogits;
  private final Variable<TInt64> iterations;
  private final int seqLen;
  private final ModelOutput output;
  /** The model's weights, then the optimizer's slots: everything a step changes but the step counter. */
  private final List<Variable<TFloat32>> stateVariables = new ArrayList<>();
  private final List<Placeholder<TFloat32>> stateInputs = new ArrayList<>();
  private final List<Op> stateAssigns = new ArrayList<>();
  private final Placeholder<TInt64> iterationsInput;
  private final Op iterationsAssign;
  private final int stateSize;

  /** {@code sequential} with {@code settings}' optimizer, its sessions run as {@code options} ask. */
  public TrainingGraph(SequentialModel sequential, TrainSettings settings, ExecutionOptions options) {
    MemoryBudget.require(sequential, settings.batchSize(), true);
    graph = new Graph();
    Session opened = null;
    try {
      Ops tf = Ops.create(graph);
      seqLen = sequential.config().seqLen();
      output = sequential.output();
      model = sequential.build(tf, settings.seed(), options);
      tokens = tf.withName("tokens").placeholder(TInt32.class, Placeholder.shape(Shape.of(-1, seqLen)));
      labels = tf.withName("labels").placeholder(TFloat32.class, Placeholder.shape(Shape.of(-1, 1)));
      seed = tf.withName("dropout_seed").placeholder(TInt64.class, Placeholder.shape(Shape.of(2)));
      Operand<TFloat32> logits = model.logits(tokens, true, seed);
      if (output.width() == 1) {
        loss = BinaryCrossentropy.mean(tf, labels, logits);
        accuracy = BinaryAccuracy.fromLogits(tf, labels, logits);
      } else {
        // labels travel as floats [rows, 1] for every head, so trainers and data-parallel workers feed them alike
        Operand<TInt32> classes = tf.reshape(tf.dtypes.cast(labels, TInt32.class), tf.constant(new int[] {-1}));
        loss = SparseCategoricalCrossentropy.mean(tf, classes, logits);
        accuracy = SparseCategoricalAccuracy.fromLogits(tf, classes, logits);
      }
      List<ModelVariable> trainable = model.trainableVariables();
      Output<?>[] grads = graph.addGradients(loss.asOutput(),
          trainable.stream().map(v -> v.variable().asOutput()).toArray(Output[]::new));
      List<Operand<TFloat32>> gradients = new ArrayList<>();
      for (Output<?> g : grads) {
        @SuppressWarnings("unchecked")
        Operand<TFloat32> f = (Operand<TFloat32>) g;
        gradients.add(f);
      }
      iterations = tf.withName("iterations").variable(Shape.scalar(), TInt64.class);
      Operand<TInt64> step = tf.math.add(iterations, tf.constant(1L));
      Optimizer optimizer = Optimizer.create(settings);
      Op update = optimizer.apply(tf, trainable, gradients, step);
      trainOp = tf.withControlDependencies(List.of(update)).withName("train").assignAdd(iterations, tf.constant(1L));
      inferenceLogits = model.logits(tokens, false, seed);
      Op optimizerInit = optimizer.initializer(tf);
      Op iterationsInit = tf.assign(iterations, tf.constant(0L));
      // assignments made once, so that setting the state every few steps (data-parallel training) grows no graph
      model.variables().forEach(v -> stateVariables.add(v.variable()));
      stateVariables.addAll(optimizer.slots());
      Ops state = tf.withSubScope("state");
      long size = 0;
      for (Variable<TFloat32> v : stateVariables) {
        Placeholder<TFloat32> in = state.placeholder(TFloat32.class, Placeholder.shape(v.shape()));
        stateInputs.add(in);
        stateAssigns.add(state.assign(v, in));
        size += v.shape().size();
      }
      if (size > Integer.MAX_VALUE) {
        throw new IllegalStateException("model and optimizer state of " + size + " values does not fit one array");
      }
      stateSize = (int) size;
      iterationsInput = state.placeholder(TInt64.class, Placeholder.shape(Shape.scalar()));
      iterationsAssign = state.assign(iterations, iterationsInput);
      opened = new Session(graph, SessionSettings.of(sequential, GraphMode.TRAIN, options));
      // model weights first: slot initialisers are independent, but the order keeps it so if one ever reads them
      opened.run(model.initializer());
      opened.runner().addTarget(optimizerInit).addTarget(iterationsInit).run();
      session = opened;
    } catch (RuntimeException e) {
      // the session first: TF Java's Graph.close() waits for every session on the graph to close
      if (opened != null) {
        opened.close();
      }
      graph.close();
      throw e;
    }
  }

  public ModelGraph model() {
    return model;
  }

  public int seqLen() {
    return seqLen;
  }

  /** What the model's head gives: one value per review (binary) or K (K classes). */
  public ModelOutput output() {
    return output;
  }

  /** One optimizer step on a batch; {@code tokens} is row-major [rows, seqLen]. */
  public StepResult trainStep(int[] batchTokens, float[] batchLabels, int rows, long[] dropoutSeed) {
    return step(batchTokens, batchLabels, rows, dropoutSeed, null).result();
  }

  /** A step traced op by op: its result and TF's step stats, with the graph to name each node's op type. */
  public record TracedStep(StepResult result, RunMetadata metadata, Graph graph) {}

  /** One optimizer step, as {@link #trainStep}, with TF's full trace of it (for profiling). */
  public TracedStep tracedStep(int[] batchTokens, float[] batchLabels, int rows, long[] dropoutSeed) {
    return step(batchTokens, batchLabels, rows, dropoutSeed,
        RunOptions.newBuilder().setTraceLevel(RunOptions.TraceLevel.FULL_TRACE).build());
  }

  private TracedStep step(int[] batchTokens, float[] batchLabels, int rows, long[] dropoutSeed, RunOptions trace) {
    try (TInt32 x = TInt32.tensorOf(Shape.of(rows, seqLen), DataBuffers.of(batchTokens, true, false));
        TFloat32 y = TFloat32.tensorOf(Shape.of(rows, 1), DataBuffers.of(batchLabels, true, false));
        TInt64 s = TInt64.vectorOf(dropoutSeed)) {
      Session.Runner runner = session.runner().feed(tokens, x).feed(labels, y).feed(seed, s)
          .fetch(loss).fetch(accuracy).addTarget(trainOp);
      if (trace != null) {
        runner.setOptions(trace);
      }
      try (Result r = trace != null ? runner.runAndFetchMetadata() : runner.run()) {
        StepResult result = new StepResult(((TFloat32) r.get(0)).getFloat(), ((TFloat32) r.get(1)).getFloat());
        return new TracedStep(result, r.getMetadata().orElse(null), graph);
      }
    }
  }

  /** Inference logits for {@code rows} reviews (no dropout), row-major [rows, width]. */
  public float[] logits(int[] batchTokens, int rows) {
    try (TInt32 x = TInt32.tensorOf(Shape.of(rows, seqLen), DataBuffers.of(batchTokens, true, false));
        TInt64 s = TInt64.vectorOf(0, 0);
        Result r = session.runner().feed(tokens, x).feed(seed, s).fetch(inferenceLogits).run()) {
      float[] out = new float[rows * output.width()];
      ((TFloat32) r.get(0)).asRawTensor().data().asFloats().read(out);
      return out;
    }
  }

  public long iterations() {
    try (Result r = session.runner().fetch(iterations).run()) {
      return ((TInt64) r.get(0)).getLong();
    }
  }

  /** Values in {@link #readState()}: every model weight and optimizer slot. */
  public int stateSize() {
    return stateSize;
  }

  /**
   * Every model weight (trainable or not, in model order) and then every optimizer slot (Adam's moments, ...), flat
   * in one array: what data-parallel training averages over workers. The step counter is {@link #iterations()}.
   */
  public float[] readState() {
    Session.Runner runner = session.runner();
    stateVariables.forEach(runner::fetch);
    float[] out = new float[stateSize];
    try (Result r = runner.run()) {
      int offset = 0;
      for (int i = 0; i < stateVariables.size(); i++) {
        int n = (int) stateVariables.get(i).shape().size();
        ((TFloat32) r.get(i)).asRawTensor().data().asFloats().read(out, offset, n);
        offset += n;
      }
    }
    return out;
  }

  /** Sets what {@link #readState()} reads, from an array laid out as it lays it out, and the step counter. */
  public void writeState(float[] values, long steps) {
    if (values.length != stateSize) {
      throw new IllegalArgumentException("state of " + values.length + " values: expected " + stateSize);
    }
    List<TFloat32> tensors = new ArrayList<>();
    try (TInt64 step = TInt64.scalarOf(steps)) {
      Session.Runner runner = session.runner().feed(iterationsInput, step).addTarget(iterationsAssign);
      var all = DataBuffers.of(values, true, false);
      int offset = 0;
      for (int i = 0; i < stateVariables.size(); i++) {
        Shape shape = stateVariables.get(i).shape();
        TFloat32 t = TFloat32.tensorOf(shape, all.slice(offset, shape.size()));
        tensors.add(t);
        offset += (int) shape.size();
        runner.feed(stateInputs.get(i), t).addTarget(stateAssigns.get(i));
      }
      runner.run();
    } finally {
      tensors.forEach(TFloat32::close);
    }
  }

  /** Saves every variable (weights, optimizer slots, step counter) as a TF checkpoint at {@code prefix}. */
  public void save(Path prefix) {
    session.save(prefix.toString());
  }

  public void restore(Path prefix) {
    session.restore(prefix.toString());
  }

  public List<NamedWeight> weights() {
    return model.readWeights(session);
  }

  public void setWeights(List<NamedWeight> weights) {
    model.writeWeights(session, weights);
  }

  @Override
  public void close() {
    session.close();
    graph.close();
  }
}
