package dev.sentigraph.savedmodel;

import dev.sentigraph.config.ExecutionOptions;
import dev.sentigraph.config.ModelConfig;
import dev.sentigraph.error.InputException;
import dev.sentigraph.model.NamedWeight;
import dev.sentigraph.runtime.Predictor;
import dev.sentigraph.runtime.SessionSettings;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import org.tensorflow.GraphOperation;
import org.tensorflow.Operand;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.SavedModelBundle;
import org.tensorflow.Tensor;
import org.tensorflow.exceptions.TensorFlowException;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.op.Ops;
import org.tensorflow.proto.DataType;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;
import org.tensorflow.types.TInt64;
import org.tensorflow.types.TString;

/**
 * Runs a SavedModel's signature on padded token ids: Keras 3 {@code model.export()} (input named after the
 * Keras input, int32, or float32 when the input had no dtype), Keras 2 {@code model.save()} style
 * ({@code embedding_input}), sentigraph's own exports. The input's name, dtype and sequence length come from
 * the signature; ids are cast to its dtype. A signature that takes strings (TextVectorization inside) runs on
 * raw texts ({@link #predictTexts}); one whose input has no fixed length runs rows at the length given. One
 * session serves every call.
 */
public final class SavedModelPredictor implements Predictor {
  private final Path dir;
  private final SavedModelBundle bundle;
  private final SavedModelInfo.TensorSpec input;
  /** The signature's outputs, by key: a row of the answer holds each one's values in turn. */
  private final List<SavedModelInfo.TensorSpec> outputs;
  private final int rowWidth;
  private final String signatureKey;
  /** Every signature of the meta graph tagged {@code serve}, as read when it was opened. */
  private final List<SavedModelInfo.Signature> signatures;
  private final int seqLen;
  private final Map<String, Operand<?>> variableReads;
  /** The variable op the input is looked up in ({@link EmbeddingTrace}), or null when that is not known. */
  private final String embeddingTable;

  private SavedModelPredictor(Path dir, SavedModelBundle bundle, List<SavedModelInfo.Signature> signatures,
      String signatureKey, SavedModelInfo.TensorSpec input, List<SavedModelInfo.TensorSpec> outputs, int seqLen) {
    this.dir = dir;
    this.signatures = List.copyOf(signatures);
    this.signatureKey = signatureKey;
    this.bundle = bundle;
    this.variableReads = variableReads(bundle);
    this.embeddingTable = EmbeddingTrace.variableOf(bundle.metaGraphDef().getGraphDef(), input.tensorName())
        .orElse(null);
    this.input = input;
    this.outputs = outputs.stream().sorted(Comparator.comparing(SavedModelInfo.TensorSpec::key)).toList();
    this.rowWidth = this.outputs.stream().mapToInt(SavedModelPredictor::width).sum();
    this.seqLen = seqLen;
  }

  /**
   * Opens {@code dir} with tag {@code serve}. {@code signatureKey} null picks {@code serving_default} (or the
   * only signature); {@code inputKey} null requires a single input; {@code seqLen} null requires a fixed length
   * in the signature (else each call's rows run at their own length).
   */
  public static SavedModelPredictor open(Path dir, String signatureKey, String inputKey, Integer seqLen,
      ExecutionOptions options) {
    SavedModelInfo info = SavedModelInfo.read(dir);
    SavedModelInfo.MetaGraph serve = info.metaGraphs().stream().filter(m -> m.tags().contains("serve")).findFirst()
        .orElseThrow(() -> new InputException(dir + " has no meta graph tagged 'serve': it has "
            + info.metaGraphs().stream().map(m -> m.tags().toString()).collect(Collectors.joining(", "))));
    SavedModelInfo.Signature signature = choose(dir, serve.signatures(), signatureKey);
    SavedModelInfo.TensorSpec in = chooseInput(dir, signature, inputKey);
    for (SavedModelInfo.TensorSpec out : signature.outputs()) {
      if (!out.dtype().equals("float") || out.shape().length > 2) {
        throw new InputException(dir + " signature '" + signature.key() + "' output '" + out.key() + "' is "
            + out.dtype() + " " + java.util.Arrays.toString(out.shape()) + ": expected float32 scores, one or K"
            + " per review ([-1], [-1, 1] or [-1, K])");
      }
    }
    boolean text = in.dtype().equals("string");
    if (!text && !List.of("int32", "int64", "float").contains(in.dtype())) {
      throw new InputException(dir + " input '" + in.key() + "' has dtype " + in.dtype()
          + ": expected int32, int64 or float token ids, or strings");
    }
    if (text && !(in.shape().length == 1 || in.shape().length == 2 && in.shape()[1] == 1)) {
      throw new InputException(dir + " input '" + in.key() + "' takes strings of shape "
          + java.util.Arrays.toString(in.shape()) + ": expected one text per row ([-1] or [-1, 1])");
    }
    // text has no token length; token ids of no fixed length run at the length of each call's rows
    int length = text ? ModelConfig.ANY_LENGTH : in.shape().length == 2 && in.shape()[1] > 0 ? (int) in.shape()[1] : ModelConfig.ANY_LENGTH;
    if (!text && length == ModelConfig.ANY_LENGTH && seqLen != null) {
      length = seqLen;
    }
    SavedModelBundle bundle;
    try {
      bundle = SavedModelBundle.loader(dir.toString()).withTags("serve")
          .withConfigProto(SessionSettings.savedModel(options)).load();
    } catch (RuntimeException e) {
      // TF's import, restore and signature checks (TensorFlowException, or IllegalArgumentException for a
      // signature whose dtype disagrees with its graph): the folder's content is at fault, not sentigraph
      throw new InputException("SavedModel " + dir + " is not a valid model: TF cannot load it ("
          + firstLine(e.getMessage()) + ")");
    }
    try {
      SavedModelPredictor p = new SavedModelPredictor(dir, bundle, serve.signatures(), signature.key(), in,
          signature.outputs(), length);
      try (Tensor probe = text ? p.texts(List.of("")) : p.tensor(new int[Math.max(length, 1)], 1)) {
        ObjectGraphRestore.restoreIfNeeded(bundle, dir, signature.key(), in.tensorName(),
            p.outputs.get(0).tensorName(), probe);
      }
      return p;
    } catch (RuntimeException e) {
      bundle.close();
      throw e;
    }
  }

  private static SavedModelInfo.Signature choose(Path dir, List<SavedModelInfo.Signature> all, String key) {
    // TF's __saved_model_init_op hook is no signature to run
    List<String> keys = all.stream().map(SavedModelInfo.Signature::key).filter(k -> !k.startsWith("__")).toList();
    String wanted = key != null ? key : keys.contains("serving_default") ? "serving_default" : keys.size() == 1 ? keys.get(0) : null;
    return all.stream().filter(s -> s.key().equals(wanted)).findFirst().orElseThrow(() -> new InputException(
        dir + " has no signature '" + (wanted == null ? "serving_default" : wanted) + "': available " + keys
            + " (choose one by its key)", "signature"));
  }

  private static SavedModelInfo.TensorSpec chooseInput(Path dir, SavedModelInfo.Signature s, String key) {
    if (key == null) {
      if (s.inputs().size() != 1) {
        throw new InputException(dir + " signature '" + s.key() + "' has several inputs "
            + s.inputs().stream().map(SavedModelInfo.TensorSpec::key).toList() + ": choose one by name", "inputName");
      }
      return s.inputs().get(0);
    }
    return s.inputs().stream().filter(i -> i.key().equals(key)).findFirst().orElseThrow(() -> new InputException(
        dir + " signature '" + s.key() + "' has no input '" + key + "': it has "
            + s.inputs().stream().map(SavedModelInfo.TensorSpec::key).toList(), "inputName"));
  }

  static String firstLine(String message) {
    return message == null ? "" : message.strip().lines().findFirst().orElse("");
  }

  /** Every signature the loaded meta graph has, TF's {@code __saved_model_init_op} included. */
  public List<SavedModelInfo.Signature> signatures() {
    return signatures;
  }

  /** The key of the signature this predictor runs. */
  public String signatureKey() {
    return signatureKey;
  }

  public String inputName() {
    return input.key();
  }

  public String inputDtype() {
    return input.dtype();
  }

  /** The signature outputs this predictor fetches, in the order a row of its answer holds them (by key). */
  public List<SavedModelInfo.TensorSpec> outputs() {
    return outputs;
  }

  /** Values per row of an output: its last dimension ({@code [-1, K]}), 1 for {@code [-1]} and {@code [-1, 1]}. */
  public static int width(SavedModelInfo.TensorSpec output) {
    long[] shape = output.shape();
    return shape.length == 2 && shape[1] > 0 ? Math.toIntExact(shape[1]) : 1;
  }

  /** The op that computes an output ({@code Sigmoid}, {@code Softmax}, a {@code BiasAdd}...), when the graph tells. */
  public Optional<String> outputOp(SavedModelInfo.TensorSpec output) {
    return OutputTrace.opOf(bundle.metaGraphDef().getGraphDef(), output.tensorName());
  }

  /** Whether the signature takes raw strings (a model with TextVectorization inside): see {@link #predictTexts}. */
  public boolean takesText() {
    return input.dtype().equals("string");
  }

  /** The signature's token length, or {@link ModelConfig#ANY_LENGTH} for text and for inputs of no fixed length. */
  @Override
  public int seqLen() {
    return seqLen;
  }

  /** False: this is the SavedModel's own graph. */
  @Override
  public boolean awaitOwnGraph() {
    return false;
  }

  /**
   * Probabilities for raw texts, fed as they are to a signature that takes strings: the model's own graph
   * (Keras' TextVectorization) standardises, splits and looks words up.
   */
  @Override
  public float[] predictTexts(List<String> texts) {
    if (!takesText()) {
      throw new InputException("SavedModel " + dir + " takes " + input.dtype() + " token ids in input '"
          + input.key() + "', not strings: encode the texts first");
    }
    try (Tensor x = texts(texts)) {
      return run(x, texts.size());
    }
  }

  private Tensor texts(List<String> texts) {
    Shape shape = input.shape().length == 1 ? Shape.of(texts.size()) : Shape.of(texts.size(), 1);
    return TString.tensorOf(shape, DataBuffers.ofObjects(texts.toArray(new String[0])));
  }

  /** Token ids as a tensor of the signature's input dtype; a variable-length input takes the rows' own length. */
  private Tensor tensor(int[] tokens, int rows) {
    if (takesText()) {
      throw new InputException("SavedModel " + dir + " takes raw text in input '" + input.key()
          + "', not token ids: give texts");
    }
    int length = seqLen != ModelConfig.ANY_LENGTH ? seqLen : rows == 0 ? 0 : tokens.length / rows;
    if (tokens.length != rows * length) {
      throw new InputException(tokens.length + " token ids for " + rows + " rows: expected rows x "
          + length + " ids");
    }
    Shape shape = Shape.of(rows, length);
    return switch (input.dtype()) {
          case "int32" -> TInt32.tensorOf(shape, DataBuffers.of(tokens, true, false));
          case "int64" -> TInt64.tensorOf(shape, DataBuffers.of(java.util.Arrays.stream(tokens).asLongStream().toArray(), true, false));
          default -> {
            float[] f = new float[tokens.length];
            for (int i = 0; i < f.length; i++) {
              f[i] = tokens[i];
            }
            yield TFloat32.tensorOf(shape, DataBuffers.of(f, true, false));
          }
        };
  }

  @Override
  public float[] predict(int[] tokens, int rows) {
    try (Tensor x = tensor(tokens, rows)) {
      return run(x, rows);
    }
  }

  private float[] run(Tensor x, int rows) {
    Session.Runner runner = bundle.session().runner().feed(input.tensorName(), x);
    outputs.forEach(o -> runner.fetch(o.tensorName()));
    try (Result r = runner.run()) {
      if (outputs.size() == 1) {
        float[] out = new float[rows * rowWidth];
        ((TFloat32) r.get(0)).asRawTensor().data().asFloats().read(out);
        return out;
      }
      return interleaved(r, rows);
    } catch (TensorFlowException | IllegalArgumentException | UnsupportedOperationException e) {
      throw new InputException("SavedModel " + dir + " failed to run: " + firstLine(e.getMessage()));
    }
  }

  /** Several outputs as one row per review: each output's values in turn. */
  private float[] interleaved(Result r, int rows) {
    float[] out = new float[rows * rowWidth];
    int offset = 0;
    for (int k = 0; k < outputs.size(); k++) {
      int width = width(outputs.get(k));
      float[] own = new float[rows * width];
      ((TFloat32) r.get(k)).asRawTensor().data().asFloats().read(own);
      for (int i = 0; i < rows; i++) {
        System.arraycopy(own, i * width, out, i * rowWidth + offset, width);
      }
      offset += width;
    }
    return out;
  }

  /**
   * The model's embedding matrix: the variable the signature's input is looked up in, followed through the graph
   * and its functions (a model may hold other tables, such as keras.io's position embedding); null when no single
   * such variable is found or it holds no float value.
   */
  public NamedWeight embedding() {
    return embeddingTable == null ? null : variables(embeddingTable::equals).get(embeddingTable);
  }

  /**
   * The float variables of the loaded session whose op names {@code names} accepts and that hold a value, by
   * op name in graph order: Keras' resource handles (a Keras 3 loader's {@code _1} copies included) and
   * sentigraph's reference variables. Only those are read; the read ops were added at load, so this adds
   * nothing to a graph other threads may be running.
   */
  public Map<String, NamedWeight> variables(Predicate<String> names) {
    Map<String, NamedWeight> out = new LinkedHashMap<>();
    for (Map.Entry<String, Operand<?>> e : variableReads.entrySet()) {
      if (!names.test(e.getKey())) {
        continue;
      }
      try (Result r = bundle.session().runner().fetch(e.getValue()).run()) {
        TFloat32 t = (TFloat32) r.get(0);
        long[] shape = t.shape().asArray();
        float[] values = new float[Math.toIntExact(t.shape().size())];
        t.asRawTensor().data().asFloats().read(values);
        out.put(e.getKey(), new NamedWeight(e.getKey(), shape, values));
      } catch (TensorFlowException | IllegalArgumentException | UnsupportedOperationException ex) {
        // an uninitialized handle: Keras 3 tf.saved_model.save files keep another, restored copy
      }
    }
    return out;
  }

  /** A read op for every float variable of the graph, by variable op name in graph order. */
  private static Map<String, Operand<?>> variableReads(SavedModelBundle bundle) {
    Ops tf = Ops.create(bundle.graph()).withSubScope("sentigraph_read_variables");
    List<GraphOperation> handles = new ArrayList<>();
    bundle.graph().operations().forEachRemaining(op -> {
      boolean variable = op.type().equals("VarHandleOp") || op.type().equals("VariableV2");
      if (variable && op.numOutputs() == 1) {
        handles.add((GraphOperation) op);
      }
    });
    Map<String, Operand<?>> reads = new LinkedHashMap<>();
    for (GraphOperation handle : handles) {
      if (handle.type().equals("VariableV2")) {
        if (handle.output(0).dataType() == DataType.DT_FLOAT_REF) {
          reads.put(handle.name(), handle.output(0)); // sentigraph's own exports hold reference variables
        }
        continue;
      }
      try {
        reads.put(handle.name(), tf.readVariableOp(handle.output(0), TFloat32.class));
      } catch (IllegalArgumentException e) {
        // not a float variable
      }
    }
    return reads;
  }

  @Override
  public String toString() {
    return "SavedModel " + dir;
  }

  @Override
  public void close() {
    bundle.close();
  }
}
