package dev.sentigraph.cli;

import com.google.gson.Gson;
import com.google.gson.JsonObject;
import dev.sentigraph.InvalidInputException;
import dev.sentigraph.SentimentModel;
import dev.sentigraph.data.DataSettings;
import dev.sentigraph.data.Dataset;
import dev.sentigraph.data.DatasetLoader;
import dev.sentigraph.data.PaddedSequences;
import dev.sentigraph.model.ModelConfig;
import dev.sentigraph.model.NamedWeight;
import dev.sentigraph.train.Preset;
import dev.sentigraph.model.SequentialModel;
import dev.sentigraph.model.TrainedModel;
import dev.sentigraph.model.WeightTransfer;
import dev.sentigraph.train.Checkpointer;
import dev.sentigraph.train.EarlyStopping;
import dev.sentigraph.train.Evaluation;
import dev.sentigraph.train.FitLoop;
import dev.sentigraph.train.FitState;
import dev.sentigraph.train.HistoryWriter;
import dev.sentigraph.train.PeakMemory;
import dev.sentigraph.train.RunFolder;
import dev.sentigraph.train.TensorBoardWriter;
import dev.sentigraph.train.TrainSettings;
import dev.sentigraph.train.TrainingGraph;
import dev.sentigraph.train.TrainingListener;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code sentigraph train}: Keras' {@code fit} from the command line, into a resumable run folder. */
@Command(name = "train", mixinStandardHelpOptions = true,
    description = "Train a preset or a Keras model config, as model.fit does, into a run folder.")
final class TrainCommand implements Callable<Integer> {
  @Mixin ModelChoice choice;
  @Mixin DataOptions dataOptions;
  @Mixin VerboseOption verbose;
  @Spec CommandSpec spec;

  @Option(names = "--epochs", paramLabel = "N", description = "Epochs (default: the preset's).")
  Integer epochs;

  @Option(names = "--batch-size", paramLabel = "B", description = "Batch size (default: the preset's).")
  Integer batchSize;

  @Option(names = "--optimizer", paramLabel = "NAME", description = "adam, rmsprop, sgd or adagrad, with Keras 3 defaults.")
  String optimizer;

  @Option(names = "--lr", paramLabel = "X", description = "Learning rate (default: the preset's, or Keras' default for --optimizer).")
  Double lr;

  @Option(names = "--validation", paramLabel = "test|split:F|none",
      description = "Validate on the test split (the notebooks' habit), on the last fraction F of train, or not at all.")
  String validation;

  @Option(names = "--seed", paramLabel = "S", description = "Seed for weights, shuffling and dropout (default 1).")
  Long seed;

  @Option(names = "--early-stopping", paramLabel = "PATIENCE",
      description = "Stop after PATIENCE epochs without val_loss improvement and restore the best weights.")
  Integer patience;

  @Option(names = "--out", paramLabel = "RUN_DIR", description = "Run folder to create (default runs/<preset>-<time>).")
  Path out;

  @Option(names = "--resume", paramLabel = "RUN_DIR", description = "Continue a run from its last checkpoint.")
  Path resume;

  @Option(names = "--init-from", paramLabel = "MODEL",
      description = "Start from the weights of a .keras file or a run folder (and its model, unless --preset or"
          + " --config names one with the same weight shapes).")
  Path initFrom;

  @Option(names = "--tensorboard", paramLabel = "DIR", description = "Write TensorBoard scalars per epoch.")
  Path tensorboard;

  @Option(names = "--train-limit", paramLabel = "N", description = "Use only the first N training reviews (smoke runs).")
  Integer trainLimit;

  @Override
  public Integer call() throws Exception {
    PrintWriter err = spec.commandLine().getErr();
    PrintWriter outWriter = spec.commandLine().getOut();
    RunFolder run;
    ModelConfig modelConfig;
    DataSettings dataSettings;
    TrainSettings trainSettings;
    TrainedModel init = null;
    if (resume != null && initFrom != null) {
      throw new InvalidInputException("--init-from cannot be combined with --resume: a resumed run continues from"
          + " its own checkpoint");
    }
    if (resume != null) {
      run = RunFolder.open(resume);
      modelConfig = run.config();
      if (choice.preset != null || choice.config != null) {
        ModelConfig asked = choice.resolve().model();
        if (!asked.toJsonString().equals(modelConfig.toJsonString())) {
          throw new InvalidInputException("--resume " + resume + ": the run's model config differs from the one given;"
              + " resume without --preset/--config");
        }
      }
      dataSettings = dataOptions.applyTo(run.dataSettings());
      trainSettings = run.trainSettings().with(null, null, null, epochs, null, null);
    } else {
      if (initFrom != null) {
        init = SentimentModel.readTrained(initFrom, null);
        if (init == null) {
          throw new InvalidInputException("--init-from " + initFrom + " is not a .keras file or a run folder:"
              + " expected a model whose weights sentigraph can read");
        }
      }
      Preset preset = choice.resolve(init, initFrom);
      modelConfig = preset.model();
      dataSettings = dataOptions.applyTo(preset.data());
      if (dataSettings.seqLen() != modelConfig.seqLen()) {
        modelConfig = modelConfig.withSeqLen(dataSettings.seqLen());
      }
      trainSettings = preset.train().with(optimizer, lr, batchSize, epochs, validation, seed);
      run = null;
    }
    SequentialModel model = SequentialModel.of(modelConfig);
    List<NamedWeight> initWeights = init == null ? null : WeightTransfer.onto(model, init.weights(), "--init-from " + initFrom);
    Dataset data = DatasetLoader.load(dataSettings);
    PaddedSequences train = limit(data.train());
    PaddedSequences validationData = switch (trainSettings.validation()) {
      case "none" -> null;
      case "test" -> data.test();
      default -> tail(train, TrainSettings.validationFraction(trainSettings.validation()));
    };
    if (trainSettings.validation().startsWith("split:")) {
      train = head(train, train.size() - validationData.size());
    }
    if (run == null) {
      Path dir = out != null ? out : Path.of("runs", modelConfig.name() + "-" + System.currentTimeMillis() / 1000);
      run = RunFolder.create(dir, modelConfig, dataSettings, trainSettings, data.wordIndex());
    }
    err.printf(Locale.ROOT, "sentigraph: %s on %d reviews (%s), %s, run folder %s%n", modelConfig.name(), train.size(),
        data.origin(), trainSettings.optimizer() + " lr " + trainSettings.learningRate() + " batch " + trainSettings.batchSize(),
        run.dir());
    try (TrainingGraph graph = new TrainingGraph(model, trainSettings)) {
      FitState start = FitState.start();
      if (resume != null) {
        RunFolder.Checkpoint last = run.latest();
        if (last == null) {
          throw new InvalidInputException("--resume " + resume + " has no checkpoint yet: start it again with --out");
        }
        graph.restore(last.prefix());
        start = last.state();
        err.printf(Locale.ROOT, "resuming from checkpoint %s (epoch %d, batch %d)%n", last.dir().getFileName(),
            start.epoch(), start.batchesDone());
      }
      if (initWeights != null) {
        graph.setWeights(initWeights);
        err.println("starting from the weights of " + initFrom);
      }
      List<TrainingListener> listeners = new ArrayList<>();
      listeners.add(new ProgressBar(err, System.console() != null));
      // the checkpoint before anything that can fail, e.g. drawing curves while Ctrl-C shuts the JVM down
      listeners.add(new Checkpointer(run));
      listeners.add(new HistoryWriter(run));
      EarlyStopping early = patience != null ? new EarlyStopping(patience) : null;
      if (early != null) {
        listeners.add(early);
      }
      TensorBoardWriter board = tensorboard != null ? new TensorBoardWriter(tensorboard) : null;
      if (board != null) {
        listeners.add(board);
      }
      FitLoop loop = new FitLoop(graph, train, validationData, trainSettings, listeners);
      CountDownLatch done = new CountDownLatch(1);
      RunFolder runDir = run;
      Thread hook = new Thread(() -> {
        loop.requestStop("interrupted");
        try {
          done.await(120, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
        err.printf("interrupted: checkpoint written; resume with: sentigraph train --resume %s%n", runDir.dir());
        err.flush();
      });
      Runtime.getRuntime().addShutdownHook(hook);
      try {
        loop.fit(start);
      } finally {
        done.countDown();
        if (board != null) {
          board.close();
        }
      }
      if ("interrupted".equals(loop.stopReason())) {
        return 130; // the shutdown hook prints how to resume; the checkpoint is 'interrupted' or the epoch's own
      }
      Runtime.getRuntime().removeShutdownHook(hook);
      if (loop.stopReason() != null && !loop.stopReason().startsWith("early stopping")) {
        err.println("error: training stopped: " + loop.stopReason());
        return 1;
      }
      if (loop.stopReason() != null) {
        err.printf("%s; restored the weights of epoch %d%n", loop.stopReason(), early.bestEpoch());
      }
      Evaluation test = Evaluation.of(data.test().labels(), loop.probabilities(data.test()));
      JsonObject metrics = new Gson().toJsonTree(test).getAsJsonObject();
      metrics.addProperty("peak_rss_mb", PeakMemory.residentMb());
      run.writeMetrics(metrics);
      outWriter.printf(Locale.ROOT, "test loss: %.4f - test accuracy: %.4f%n", test.loss(), test.accuracy());
      outWriter.flush();
    }
    return 0;
  }

  private PaddedSequences limit(PaddedSequences p) {
    if (trainLimit == null) {
      return p;
    }
    if (trainLimit <= 0) {
      throw new InvalidInputException("--train-limit " + trainLimit + " must be positive");
    }
    return head(p, Math.min(trainLimit, p.size()));
  }

  private static PaddedSequences head(PaddedSequences p, int n) {
    return new PaddedSequences(Arrays.copyOf(p.tokens(), n * p.seqLen()), p.seqLen(), Arrays.copyOf(p.labels(), n));
  }

  /** Keras' validation_split: the last fraction of the training data, before shuffling. */
  private static PaddedSequences tail(PaddedSequences p, double fraction) {
    int n = (int) Math.floor(p.size() * fraction);
    if (n == 0 || n == p.size()) {
      throw new InvalidInputException("--validation split:" + fraction + " leaves " + (p.size() - n)
          + " training and " + n + " validation reviews: expected both non-empty");
    }
    int from = p.size() - n;
    return new PaddedSequences(Arrays.copyOfRange(p.tokens(), from * p.seqLen(), p.size() * p.seqLen()), p.seqLen(),
        Arrays.copyOfRange(p.labels(), from, p.size()));
  }
}
