package dev.sentigraph.layers;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonPrimitive;
import java.util.List;
import org.tensorflow.Operand;
import org.tensorflow.framework.initializers.Identity;
import org.tensorflow.framework.initializers.Initializer;
import org.tensorflow.framework.initializers.Ones;
import org.tensorflow.framework.initializers.RandomNormal;
import org.tensorflow.framework.initializers.RandomUniform;
import org.tensorflow.framework.initializers.Zeros;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * A Keras initializer by class name and config (e.g. {@code RandomNormal {stddev: 0.001}}), turned into
 * tensorflow-framework initializer ops with the same distribution.
 */
public record InitializerSpec(String className, double a, double b) {
  public static final InitializerSpec GLOROT_UNIFORM = new InitializerSpec("GlorotUniform", 0, 0);
  public static final InitializerSpec ORTHOGONAL = new InitializerSpec("Orthogonal", 1.0, 0);
  public static final InitializerSpec ZEROS = new InitializerSpec("Zeros", 0, 0);
  public static final InitializerSpec ONES = new InitializerSpec("Ones", 0, 0);
  /** Keras' Embedding default: uniform(-0.05, 0.05). */
  public static final InitializerSpec EMBEDDING_UNIFORM = new InitializerSpec("RandomUniform", -0.05, 0.05);

  public static InitializerSpec randomNormal(double mean, double stddev) {
    return new InitializerSpec("RandomNormal", mean, stddev);
  }

  /** Keras' LSTM {@code unit_forget_bias}: zeros with ones for the forget gate, [0(u), 1(u), 0(2u)]. */
  public static InitializerSpec unitForgetBias(int units) {
    return new InitializerSpec("UnitForgetBias", units, 0);
  }

  public static InitializerSpec identity(double gain) {
    return new InitializerSpec("Identity", gain, 0);
  }

  static InitializerSpec parse(JsonElement e, LayerArgs args, String key) {
    String name;
    JsonObject config = new JsonObject();
    if (e.isJsonPrimitive() && e.getAsJsonPrimitive().isString()) {
      name = e.getAsString();
    } else if (e.isJsonObject() && e.getAsJsonObject().get("class_name") instanceof JsonPrimitive p && p.isString()) {
      name = p.getAsString();
      JsonElement c = e.getAsJsonObject().get("config");
      if (c != null && c.isJsonObject()) {
        config = c.getAsJsonObject();
      }
    } else {
      throw args.error(key, "expected an initializer name or {\"class_name\": ..., \"config\": ...}, got " + dev.sentigraph.io.JsonInput.shown(e));
    }
    try {
      return named(name, config, args, key);
    } catch (IllegalArgumentException ex) {
      throw args.error(key, ex.getMessage());
    }
  }

  private static InitializerSpec named(String name, JsonObject config, LayerArgs args, String key) {
    return switch (name) {
      case "GlorotUniform", "glorot_uniform" -> GLOROT_UNIFORM;
      case "Orthogonal", "orthogonal" -> new InitializerSpec("Orthogonal", number(config, "gain", 1.0), 0);
      case "Zeros", "zeros" -> ZEROS;
      case "Ones", "ones" -> ONES;
      case "RandomNormal", "random_normal" ->
          randomNormal(number(config, "mean", 0.0), number(config, "stddev", 0.05));
      case "RandomUniform", "random_uniform" -> new InitializerSpec(
          "RandomUniform", number(config, "minval", -0.05), number(config, "maxval", 0.05));
      case "Identity", "identity" -> identity(number(config, "gain", 1.0));
      default -> throw args.error(key, "unsupported initializer '" + name
          + "': expected GlorotUniform, Orthogonal, Zeros, Ones, RandomNormal, RandomUniform or Identity");
    };
  }

  private static double number(JsonObject config, String key, double defaultValue) {
    JsonElement e = config.get(key);
    if (e == null || e.isJsonNull()) {
      return defaultValue;
    }
    if (e.isJsonPrimitive() && e.getAsJsonPrimitive().isNumber() && Double.isFinite(e.getAsDouble())) {
      return e.getAsDouble();
    }
    throw new IllegalArgumentException("initializer argument '" + key + "' is " + dev.sentigraph.io.JsonInput.describe(e)
        + ": expected a finite number");
  }

  /** The initial value of a weight of this shape; {@code seed} makes it repeatable. */
  public Operand<TFloat32> create(Ops tf, long[] shape, long seed) {
    if (className.equals("UnitForgetBias")) {
      int u = (int) a;
      return tf.concat(List.of(tf.zeros(tf.constant(new long[] {u}), TFloat32.class),
          tf.ones(tf.constant(new long[] {u}), TFloat32.class),
          tf.zeros(tf.constant(new long[] {2L * u}), TFloat32.class)), tf.constant(0));
    }
    if (className.equals("Orthogonal")) {
      return orthogonal(tf, shape, seed);
    }
    if (className.equals("GlorotUniform")) {
      // tensorflow-framework 1.0.0's Glorot(UNIFORM) draws from [0, limit], never below zero
      double limit = Math.sqrt(6.0 / (fanIn(shape) + fanOut(shape)));
      return new RandomUniform<TFloat32>(-limit, limit, seed).call(tf, tf.constant(shape), TFloat32.class);
    }
    Initializer<TFloat32> init = switch (className) {
      case "Zeros" -> new Zeros<>();
      case "Ones" -> new Ones<>();
      case "RandomNormal" -> new RandomNormal<>(a, b, seed);
      case "RandomUniform" -> new RandomUniform<>(a, b, seed);
      case "Identity" -> new Identity<>(a);
      default -> throw new IllegalStateException("no initializer " + className);
    };
    return init.call(tf, tf.constant(shape), TFloat32.class);
  }

  /** Keras' fans: the receptive field (all dimensions but the last two) times the input / output dimension. */
  static double fanIn(long[] shape) {
    return shape.length == 1 ? shape[0] : receptiveField(shape) * shape[shape.length - 2];
  }

  static double fanOut(long[] shape) {
    return shape.length == 1 ? shape[0] : receptiveField(shape) * shape[shape.length - 1];
  }

  private static double receptiveField(long[] shape) {
    double r = 1;
    for (int i = 0; i < shape.length - 2; i++) {
      r *= shape[i];
    }
    return r;
  }

  /**
   * Keras' orthogonal recipe: QR of a normal [max(r, c), min(r, c)] matrix, columns signed by R's diagonal,
   * transposed when there are fewer rows than columns. (tensorflow-framework 1.0.0's Orthogonal fails on
   * that last case, which every LSTM/GRU recurrent kernel hits.)
   */
  private Operand<TFloat32> orthogonal(Ops tf, long[] shape, long seed) {
    long cols = shape[shape.length - 1];
    long rows = 1;
    for (int i = 0; i < shape.length - 1; i++) {
      rows *= shape[i];
    }
    Operand<TFloat32> normal = tf.random.statelessRandomNormal(
        tf.constant(new long[] {Math.max(rows, cols), Math.min(rows, cols)}), tf.constant(new long[] {seed, 17}),
        TFloat32.class);
    var qr = tf.linalg.qr(normal);
    Operand<TFloat32> q = tf.math.mul(qr.q(), tf.math.sign(tf.linalg.matrixDiagPart(qr.r(), tf.constant(0),
        tf.constant(0f))));
    if (rows < cols) {
      q = tf.linalg.transpose(q, tf.constant(new int[] {1, 0}));
    }
    return tf.math.mul(tf.reshape(q, tf.constant(shape)), tf.constant((float) a));
  }

  /** The Keras config form, for configs sentigraph writes. */
  public JsonObject toKerasJson() {
    JsonObject config = new JsonObject();
    switch (className) {
      case "Orthogonal", "Identity" -> config.addProperty("gain", a);
      case "RandomNormal" -> {
        config.addProperty("mean", a);
        config.addProperty("stddev", b);
      }
      case "RandomUniform" -> {
        config.addProperty("minval", a);
        config.addProperty("maxval", b);
      }
      default -> { }
    }
    if (!className.equals("Zeros") && !className.equals("Ones") && !className.equals("Identity")) {
      config.add("seed", com.google.gson.JsonNull.INSTANCE);
    }
    JsonObject json = new JsonObject();
    json.addProperty("module", "keras.initializers");
    json.addProperty("class_name", className);
    json.add("config", config);
    json.add("registered_name", com.google.gson.JsonNull.INSTANCE);
    return json;
  }
}
