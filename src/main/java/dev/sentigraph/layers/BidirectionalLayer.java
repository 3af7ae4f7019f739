package dev.sentigraph.layers;

import com.google.gson.JsonObject;
import dev.sentigraph.config.LayerConfig;
import java.util.ArrayList;
import java.util.List;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt64;

/**
 * Keras {@code Bidirectional} around SimpleRNN, LSTM or GRU: a forward layer over the sequence and a backward
 * layer over it reversed (Keras' {@code go_backwards}), whose step outputs are put back in time order when
 * sequences are returned, merged by {@code merge_mode} (concat, sum, mul, ave). The weights are the forward
 * layer's then the backward layer's, named {@code forward/kernel}, {@code backward/kernel}, ...; a {@code .keras}
 * file keeps them under {@code forward_layer/cell/vars} and {@code backward_layer/cell/vars}.
 */
public final class BidirectionalLayer implements Layer {
  private enum MergeMode { CONCAT, SUM, MUL, AVE }

  private final LayerConfig config;
  private final RecurrentLayer forward;
  private final RecurrentLayer backward;
  private final MergeMode mode;

  BidirectionalLayer(LayerConfig config, LayerArgs args) {
    this.config = config;
    JsonObject layer = args.getObject("layer");
    if (layer == null) {
      throw args.error("layer", "is required: the wrapped SimpleRNN, LSTM or GRU");
    }
    JsonObject backwardLayer = args.getObject("backward_layer");
    String merge = args.getString("merge_mode", "concat");
    this.mode = switch (merge) {
      case "concat" -> MergeMode.CONCAT;
      case "sum" -> MergeMode.SUM;
      case "mul" -> MergeMode.MUL;
      case "ave" -> MergeMode.AVE;
      default -> throw args.error("merge_mode", "expected concat, sum, mul or ave, got '" + merge + "'");
    };
    this.forward = inner(args, layer, "layer", false);
    this.backward = inner(args, backwardLayer != null ? backwardLayer : layer, backwardLayer != null
        ? "backward_layer" : "layer", true);
    if (forward.returnSequences != backward.returnSequences) {
      throw args.error("backward_layer", "return_sequences differs from the forward layer's");
    }
    args.rejectUnknown();
  }

  /** The wrapped layer; the backward one reverses its input here, so its go_backwards is taken off. */
  private static RecurrentLayer inner(LayerArgs args, JsonObject json, String key, boolean backwards) {
    String cls = json.get("class_name").getAsString();
    JsonObject innerConfig = json.has("config") ? json.getAsJsonObject("config").deepCopy() : new JsonObject();
    boolean goesBackwards = innerConfig.has("go_backwards") && innerConfig.get("go_backwards").getAsBoolean();
    if (goesBackwards != backwards && !(backwards && key.equals("layer"))) {
      throw args.error(key, "go_backwards is " + goesBackwards + ": expected " + backwards);
    }
    innerConfig.remove("go_backwards");
    Layer layer = LayerTypes.create(args.index(), new LayerConfig(cls, innerConfig));
    if (!(layer instanceof RecurrentLayer recurrent)) {
      throw args.error(key, "wraps " + cls + ": expected SimpleRNN, LSTM or GRU");
    }
    recurrent.wrapped = true;
    return recurrent;
  }

  @Override
  public LayerConfig config() {
    return config;
  }

  @Override
  public long[] outputShape(long[] inputShape) {
    long[] out = forward.outputShape(inputShape);
    if (mode == MergeMode.CONCAT) {
      out[out.length - 1] *= 2;
    }
    return out;
  }

  @Override
  public List<WeightSpec> weights(long[] inputShape) {
    List<WeightSpec> w = new ArrayList<>();
    for (WeightSpec s : forward.weights(inputShape)) {
      w.add(new WeightSpec("forward/" + s.name(), s.shape(), s.initializer(), s.trainable()));
    }
    for (WeightSpec s : backward.weights(inputShape)) {
      w.add(new WeightSpec("backward/" + s.name(), s.shape(), s.initializer(), s.trainable()));
    }
    return w;
  }

  private int forwardWeightCount(long[] inputShape) {
    return forward.weights(inputShape).size();
  }

  @Override
  public String kerasWeightPath(int weight, long[] inputShape) {
    int n = forwardWeightCount(inputShape);
    return weight < n ? "forward_layer/cell/vars/" + weight : "backward_layer/cell/vars/" + (weight - n);
  }

  @Override
  public long forwardFlops(long[] inputShape) {
    return forward.forwardFlops(inputShape) + backward.forwardFlops(inputShape);
  }

  @Override
  public Operand<TFloat32> call(LayerCall call) {
    Ops tf = call.tf();
    int n = forwardWeightCount(call.inputShape());
    List<Operand<TFloat32>> w = call.weights();
    Operand<TFloat32> x = call.floatInput();
    Operand<TFloat32> f = forward.call(new LayerCall(tf, x, call.inputShape(), w.subList(0, n), call.training(),
        call.seed(), call.layerIndex()));
    // the backward layer draws its dropout masks from its own seed stream
    Operand<TInt64> backwardSeed = tf.math.add(call.seed(), tf.constant(new long[] {0, 500}));
    Operand<TFloat32> b = backward.call(new LayerCall(tf, reverseTime(tf, x), call.inputShape(),
        w.subList(n, w.size()), call.training(), backwardSeed, call.layerIndex()));
    if (backward.returnSequences) {
      b = reverseTime(tf, b);
    }
    return switch (mode) {
      case CONCAT -> tf.concat(List.of(f, b), tf.constant(-1));
      case SUM -> tf.math.add(f, b);
      case MUL -> tf.math.mul(f, b);
      case AVE -> tf.math.mul(tf.math.add(f, b), tf.constant(0.5f));
    };
  }

  private static Operand<TFloat32> reverseTime(Ops tf, Operand<TFloat32> x) {
    return tf.reverse(x, tf.constant(new int[] {1}));
  }
}
