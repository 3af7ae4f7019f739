package dev.sentigraph.train;

import dev.sentigraph.error.InputException;
import java.util.Locale;
import java.util.Set;

/**
 * How a model is fitted: the optimizer (Keras 3 defaults unless {@code learningRate} says otherwise), batch
 * size, epochs, the validation data ({@code test}, {@code split:F} or {@code none}) and the seed.
 */
public record TrainSettings(String optimizer, double learningRate, int batchSize, int epochs, String validation,
    long seed) {
  public static final Set<String> OPTIMIZERS = Set.of("adam", "rmsprop", "sgd", "adagrad");

  public TrainSettings {
    optimizer = optimizer.toLowerCase(Locale.ROOT);
    if (!OPTIMIZERS.contains(optimizer)) {
      throw new InputException("optimizer '" + optimizer + "' is not supported: expected adam, rmsprop, sgd or adagrad", "optimizer");
    }
    if (!(learningRate > 0)) {
      throw new InputException("learning rate " + learningRate + " must be a positive number", "learningRate");
    }
    if (batchSize <= 0) {
      throw new InputException("batch size " + batchSize + " must be a positive number", "batchSize");
    }
    if (epochs <= 0) {
      throw new InputException("epochs " + epochs + " must be a positive number", "epochs");
    }
    validationFraction(validation);
  }

  /** The held-out fraction of {@code split:F}, 0 for {@code test} and {@code none}. */
  public static double validationFraction(String validation) {
    if (validation.equals("test") || validation.equals("none")) {
      return 0;
    }
    if (validation.startsWith("split:")) {
      try {
        double f = Double.parseDouble(validation.substring(6));
        if (f > 0 && f < 1) {
          return f;
        }
      } catch (NumberFormatException e) {
        // reported below
      }
    }
    throw new InputException("validation '" + validation + "' is not valid: expected test, none or split:F with 0 < F < 1", "validation");
  }

  public TrainSettings with(String newOptimizer, Double lr, Integer batch, Integer newEpochs, String newValidation,
      Long newSeed) {
    String opt = newOptimizer != null ? newOptimizer : optimizer;
    // a new optimizer without --lr starts from that optimizer's Keras default
    double rate = lr != null ? lr : newOptimizer != null && !newOptimizer.equals(optimizer) ? defaultLearningRate(opt) : learningRate;
    return new TrainSettings(opt, rate, batch != null ? batch : batchSize, newEpochs != null ? newEpochs : epochs,
        newValidation != null ? newValidation : validation, newSeed != null ? newSeed : seed);
  }

  /** Keras 3's default learning rate of each optimizer. */
  public static double defaultLearningRate(String optimizer) {
    return switch (optimizer.toLowerCase(Locale.ROOT)) {
      case "sgd" -> 0.01;
      default -> 0.001;
    };
  }
}
