package dev.sentigraph.train;

import com.google.gson.Gson;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import dev.sentigraph.config.ExecutionOptions;
import dev.sentigraph.config.ModelConfig;
import dev.sentigraph.data.DataSettings;
import dev.sentigraph.data.Dataset;
import dev.sentigraph.data.DatasetLoader;
import dev.sentigraph.data.KerasTextVectorization;
import dev.sentigraph.data.LabeledText;
import dev.sentigraph.data.PaddedSequences;
import dev.sentigraph.data.TextReviews;
import dev.sentigraph.error.InputException;
import dev.sentigraph.layers.GraphMode;
import dev.sentigraph.model.MemoryBudget;
import dev.sentigraph.model.NamedWeight;
import dev.sentigraph.model.SequentialModel;
import dev.sentigraph.model.TrainedModel;
import dev.sentigraph.model.WeightTransfer;
import dev.sentigraph.runtime.NativeSettings;
import dev.sentigraph.runtime.SessionSettings;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * What {@code sentigraph train} does, from Java: Keras' {@code fit} of a preset or model config into a crash-safe,
 * resumable run folder, then the test metrics. Progress, history files and stopping rules are
 * {@link TrainingListener}s; the run writes checkpoints and {@code history.json} itself.
 *
 * <pre>{@code
 * TrainingRun.Result r = TrainingRun.of(Presets.get("mean-embedding"))
 *     .data(d -> d.withSource(Path.of("imdb.npz"))).epochs(3).out(Path.of("runs/mean")).build().run();
 * }</pre>
 *
 * One run trains once; {@link #requestStop} (e.g. from a shutdown hook) ends it after the current batch with a
 * checkpoint to resume from.
 */
public final class TrainingRun {
  static {
    NativeSettings.apply();
  }

  /**
   * How a run ended: the run folder, the test metrics ({@code null} when stopped or interrupted before the
   * end) and why it stopped early ({@code null} when it ran every epoch).
   */
  public record Result(RunFolder run, Evaluation test, String stopReason, List<EpochLogs> history) {
    /** True when an interrupt or {@link TrainingRun#requestStop} cut the run short; resume it from its folder. */
    public boolean interrupted() {
      return TrainingRun.INTERRUPTED.equals(stopReason);
    }
  }

  static final String INTERRUPTED = "interrupted";

  private final RunFolder runFolder;
  private final boolean resumed;
  private final SequentialModel model;
  private final TrainSettings settings;
  private final Dataset data;
  private final PaddedSequences train;
  private final PaddedSequences validation;
  private final List<NamedWeight> initWeights;
  private final Integer patience;
  private final List<TrainingListener> listeners;
  private final ExecutionOptions execution;
  private final Path tensorBoard;
  private final EpochTrainer.Factory trainer;
  private volatile FitLoop loop;
  private volatile String stopRequest;

  private TrainingRun(Builder b) throws IOException {
    ModelConfig config;
    DataSettings dataSettings;
    RunFolder run = null;
    if (b.resume != null) {
      run = RunFolder.open(b.resume);
      config = run.config();
      if (b.preset != null && !b.preset.model().toJsonString().equals(config.toJsonString())) {
        throw new InputException("run " + b.resume + ": its model config differs from the one given; resume"
            + " it without a model");
      }
      dataSettings = b.data.apply(run.dataSettings());
      settings = b.train.apply(run.trainSettings());
    } else {
      if (b.preset == null) {
        throw new InputException("a training run needs a model: a preset or a model config");
      }
      config = b.preset.model();
      dataSettings = b.data.apply(b.preset.data());
      if (dataSettings.seqLen() != config.seqLen()) {
        config = config.withSeqLen(dataSettings.seqLen());
      }
      settings = b.train.apply(b.preset.train());
    }
    resumed = b.resume != null;
    model = SequentialModel.of(config);
    // the data are token ids: fed to the Dense layer as its features, every step would learn from garbage
    model.featureInput().ifPresent(problem -> {
      throw new InputException(problem + ": sentigraph trains on token ids, which that layer cannot read");
    });
    MemoryBudget.require(model, settings.batchSize(), true); // before the data is read or a run folder made
    initWeights = b.init == null ? null : WeightTransfer.onto(model, b.init.weights(), b.initOrigin);
    KerasTextVectorization vectorization = null;
    // labelled text is read before it is encoded, so that a label the head cannot learn is refused by its file line
    TextReviews reviews = b.reviews != null ? b.reviews
        : DatasetLoader.readsText(dataSettings) ? DatasetLoader.reviews(dataSettings) : null;
    if (reviews != null) {
      // before a run folder is made: a binary head refuses a K-class dataset, a K-class head labels past K
      ClassLabels.require(reviews, model.output().width());
    }
    if (config.graph() != null && config.graph().textVectorization() != null) {
      // a model that reads text: its vocabulary is adapted on the training reviews once, then kept in the run
      if (run != null) {
        vectorization = run.textVectorization(config);
        data = reviews != null ? DatasetLoader.vectorized(reviews, vectorization, dataSettings)
            : DatasetLoader.load(dataSettings, vectorization);
      } else {
        TextReviews text = reviews != null ? reviews : DatasetLoader.reviews(dataSettings);
        vectorization = adapt(config, text);
        data = DatasetLoader.vectorized(text, vectorization, dataSettings);
      }
    } else {
      // token ids (imdb.npz) hold labels 0/1 only, which every head learns
      data = reviews != null ? DatasetLoader.fromReviews(reviews, dataSettings) : DatasetLoader.load(dataSettings);
    }
    PaddedSequences all = b.trainLimit == null ? data.train() : data.train().head(b.trainLimit);
    validation = switch (settings.validation()) {
      case "none" -> null;
      case "test" -> data.test();
      default -> tail(all, TrainSettings.validationFraction(settings.validation()));
    };
    train = settings.validation().startsWith("split:") ? all.head(all.size() - validation.size()) : all;
    patience = b.patience;
    listeners = List.copyOf(b.listeners);
    execution = b.execution;
    tensorBoard = b.tensorBoard;
    trainer = b.trainer;
    if (run == null) {
      Path dir = b.out != null ? b.out : Path.of("runs", config.name() + "-" + System.currentTimeMillis() / 1000);
      run = RunFolder.create(dir, config, dataSettings, settings, data.wordIndex());
      if (vectorization != null) {
        run.writeVocabulary(vectorization.vocabulary());
      }
    }
    runFolder = run;
  }

  /** Keras' {@code adapt()} of the model's TextVectorization on the training reviews. */
  private static KerasTextVectorization adapt(ModelConfig config, TextReviews reviews) {
    JsonObject layer = config.graph().textVectorization();
    KerasTextVectorization unadapted = KerasTextVectorization.fromConfig(layer, List.of(), config.seqLen(),
        "model " + config.name());
    JsonElement max = layer.get("max_tokens");
    int maxTokens = max == null || max.isJsonNull() ? Integer.MAX_VALUE : max.getAsInt();
    return KerasTextVectorization.adapt(unadapted.standardize(), reviews.train().stream().map(LabeledText::text)
        .toList(), maxTokens, unadapted.sequenceLength());
  }

  /** A run of {@code preset} (a notebook experiment, or a model config with Keras' {@code fit} defaults). */
  public static Builder of(Preset preset) {
    return new Builder(preset, null);
  }

  /** Continues the run in {@code runDir} from its last checkpoint. */
  public static Builder resume(Path runDir) {
    return new Builder(null, runDir);
  }

  public RunFolder runFolder() {
    return runFolder;
  }

  public ModelConfig model() {
    return model.config();
  }

  public TrainSettings settings() {
    return settings;
  }

  /** Reviews trained on per epoch. */
  public int trainSize() {
    return train.size();
  }

  /** Where the reviews came from (a file, a folder, a download). */
  public String dataOrigin() {
    return data.origin();
  }

  /** Asks the run to stop after the current batch, with a checkpoint; safe from any thread. */
  public void requestStop(String reason) {
    stopRequest = reason;
    FitLoop l = loop;
    if (l != null) {
      l.requestStop(reason);
    }
  }

  /** Asks the run to stop as an interrupt does: its {@link Result#interrupted()} is then true. */
  public void interrupt() {
    requestStop(INTERRUPTED);
  }

  /** Trains; an interrupted run returns with {@link Result#interrupted()} true and its checkpoint written. */
  public Result run() throws IOException {
    try (TrainingGraph graph = new TrainingGraph(model, settings, execution);
        // after the training session, with its settings: the process's first session sizes TF's thread pools
        TensorBoardWriter board = tensorBoard == null ? null : new TensorBoardWriter(tensorBoard,
            SessionSettings.of(model, GraphMode.TRAIN, execution))) {
      FitState start = FitState.start();
      if (resumed) {
        RunFolder.Checkpoint last = runFolder.latest();
        if (last == null) {
          throw new InputException("run " + runFolder.dir() + " has no checkpoint yet: start it again");
        }
        graph.restore(last.prefix());
        start = last.state();
      }
      if (initWeights != null) {
        graph.setWeights(initWeights);
      }
      List<TrainingListener> all = new ArrayList<>(listeners);
      // the checkpoint before anything that can fail, e.g. a listener drawing curves while the JVM shuts down
      all.add(0, new Checkpointer(runFolder));
      all.add(1, new HistoryWriter(runFolder));
      if (board != null) {
        all.add(board);
      }
      EarlyStopping early = patience != null ? new EarlyStopping(patience) : null;
      if (early != null) {
        all.add(early);
      }
      FitLoop fit = trainer == null ? new FitLoop(graph, train, validation, settings, all)
          : new FitLoop(graph, trainer.create(graph, train, settings), validation, settings, all);
      loop = fit;
      if (stopRequest != null) {
        fit.requestStop(stopRequest);
      }
      fit.fit(start);
      String reason = fit.stopReason();
      if (reason != null && !reason.startsWith("early stopping")) {
        return new Result(runFolder, null, reason, fit.history());
      }
      Evaluation test = Evaluation.of(data.test().labels(), fit.probabilities(data.test()), model.output().width());
      JsonObject metrics = new Gson().toJsonTree(test).getAsJsonObject();
      metrics.addProperty("peak_rss_mb", PeakMemory.residentMb());
      runFolder.writeMetrics(metrics);
      return new Result(runFolder, test, reason == null ? null : reason + "; restored the weights of epoch "
          + early.bestEpoch(), fit.history());
    }
  }

  /** Keras' validation_split: the last fraction of the training data, before shuffling. */
  private static PaddedSequences tail(PaddedSequences p, double fraction) {
    int n = (int) Math.floor(p.size() * fraction);
    if (n == 0 || n == p.size()) {
      throw new InputException("validation split " + fraction + " leaves " + (p.size() - n)
          + " training and " + n + " validation reviews: expected both non-empty", "validation");
    }
    int from = p.size() - n;
    return new PaddedSequences(Arrays.copyOfRange(p.tokens(), from * p.seqLen(), p.size() * p.seqLen()), p.seqLen(),
        Arrays.copyOfRange(p.labels(), from, p.size()));
  }

  /** Settings of a run; {@link #build()} loads the data and creates (or opens) the run folder. */
  public static final class Builder {
    private final Preset preset;
    private final Path resume;
    private UnaryOperator<DataSettings> data = UnaryOperator.identity();
    private UnaryOperator<TrainSettings> train = UnaryOperator.identity();
    private TrainedModel init;
    private String initOrigin;
    private Integer patience;
    private Path out;
    private Integer trainLimit;
    private ExecutionOptions execution = ExecutionOptions.DEFAULT;
    private Path tensorBoard;
    private EpochTrainer.Factory trainer;
    private TextReviews reviews;
    private final List<TrainingListener> listeners = new ArrayList<>();

    private Builder(Preset preset, Path resume) {
      this.preset = preset;
      this.resume = resume;
    }

    /** With a resumed run: the model the caller expects; refused when it differs from the run's. */
    public Builder expecting(Preset expected) {
      Builder b = new Builder(expected, resume);
      b.data = data;
      b.train = train;
      b.init = init;
      b.initOrigin = initOrigin;
      b.patience = patience;
      b.out = out;
      b.trainLimit = trainLimit;
      b.execution = execution;
      b.tensorBoard = tensorBoard;
      b.trainer = trainer;
      b.reviews = reviews;
      b.listeners.addAll(listeners);
      return b;
    }

    /** Changes the data settings (source, vocabulary, length...) from the preset's or the run's. */
    public Builder data(UnaryOperator<DataSettings> change) {
      this.data = change;
      return this;
    }

    /** Changes the training settings (optimizer, learning rate, batch, epochs, validation, seed). */
    public Builder train(UnaryOperator<TrainSettings> change) {
      this.train = change;
      return this;
    }

    /** Starts from these weights (a {@code .keras} file's or a run's), matched by position as set_weights. */
    public Builder initFrom(TrainedModel weights, String origin) {
      if (resume != null) {
        throw new InputException("initial weights cannot be combined with resuming: a resumed run continues"
            + " from its own checkpoint", "initFrom");
      }
      this.init = weights;
      this.initOrigin = origin;
      return this;
    }

    /** Stops after {@code epochs} epochs without val_loss improvement and restores the best weights. */
    public Builder earlyStopping(Integer epochs) {
      this.patience = epochs;
      return this;
    }

    /** The run folder to create (default {@code runs/<model>-<time>}). */
    public Builder out(Path dir) {
      this.out = dir;
      return this;
    }

    /** Trains on the first {@code n} training reviews only (smoke runs). */
    public Builder trainLimit(Integer n) {
      if (n != null && n <= 0) {
        throw new InputException("train limit " + n + " must be positive", "trainLimit");
      }
      this.trainLimit = n;
      return this;
    }

    /** Threads and batch chains of the training session (default: sentigraph's choice for the model). */
    public Builder execution(ExecutionOptions options) {
      this.execution = options;
      return this;
    }

    /** Writes per-epoch scalars as TensorBoard event files into {@code logDir}. */
    public Builder tensorBoard(Path logDir) {
      this.tensorBoard = logDir;
      return this;
    }

    /**
     * Who trains the epochs' batches (default: this JVM, one batch at a time); e.g. Spark executors, averaging
     * their weights. Data, run folder, checkpoints, validation and the test metrics stay with this run.
     */
    public Builder epochTrainer(EpochTrainer.Factory factory) {
      this.trainer = factory;
      return this;
    }

    /**
     * Trains and tests on these labelled reviews (read by the caller, e.g. with Spark) instead of reading the data
     * settings' source; they are encoded as a {@code .csv}/{@code .jsonl} source's are. A resumed run needs them
     * again.
     */
    public Builder reviews(TextReviews labelled) {
      this.reviews = labelled;
      return this;
    }

    public Builder listener(TrainingListener listener) {
      listeners.add(listener);
      return this;
    }

    public TrainingRun build() throws IOException {
      return new TrainingRun(this);
    }
  }
}
