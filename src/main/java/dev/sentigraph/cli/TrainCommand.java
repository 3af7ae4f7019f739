package dev.sentigraph.cli;

import dev.sentigraph.SentimentModel;
import dev.sentigraph.error.InputException;
import dev.sentigraph.model.TrainedModel;
import dev.sentigraph.train.TrainSettings;
import dev.sentigraph.train.TrainingRun;
import java.io.PrintWriter;
import java.nio.file.Path;
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
  @Mixin FitOptions fit;
  @Mixin VerboseOption verbose;
  @Spec CommandSpec spec;

  @Option(names = "--init-from", paramLabel = "MODEL",
      description = "Start from the weights of a .keras file or a run folder (and its model, unless --preset or"
          + " --config names one with the same weight shapes).")
  Path initFrom;

  @Override
  public Integer call() throws Exception {
    Path resume = fit.resume();
    PrintWriter err = spec.commandLine().getErr();
    PrintWriter outWriter = spec.commandLine().getOut();
    if (resume != null && initFrom != null) {
      throw new InputException("--init-from cannot be combined with --resume: a resumed run continues from"
          + " its own checkpoint");
    }
    TrainingRun.Builder builder;
    TrainedModel init = null;
    if (resume != null) {
      builder = TrainingRun.resume(resume);
      if (choice.preset != null || choice.config != null) {
        builder = builder.expecting(choice.resolve());
      }
    } else {
      if (initFrom != null) {
        init = SentimentModel.readTrained(initFrom, null);
        if (init == null) {
          throw new InputException("--init-from " + initFrom + " is not a .keras file or a run folder:"
              + " expected a model whose weights sentigraph can read");
        }
      }
      builder = TrainingRun.of(choice.resolve(init, initFrom));
      if (init != null) {
        builder.initFrom(init, "--init-from " + initFrom);
      }
    }
    fit.applyTo(builder.data(dataOptions::applyTo))
        .execution(CliEnvironment.execution())
        .listener(new ProgressBar(err, System.console() != null));
    TrainingRun run = builder.build();
    TrainSettings t = run.settings();
    err.printf(Locale.ROOT, "sentigraph: %s on %d reviews (%s), %s, run folder %s%n", run.model().name(),
        run.trainSize(), run.dataOrigin(), t.optimizer() + " lr " + t.learningRate() + " batch " + t.batchSize(),
        run.runFolder().dir());
    if (resume != null && run.runFolder().latest() != null) {
      var last = run.runFolder().latest();
      err.printf(Locale.ROOT, "resuming from checkpoint %s (epoch %d, batch %d)%n", last.dir().getFileName(),
          last.state().epoch(), last.state().batchesDone());
    }
    if (init != null) {
      err.println("starting from the weights of " + initFrom);
    }
    CountDownLatch done = new CountDownLatch(1);
    Thread hook = new Thread(() -> {
      run.interrupt();
      try {
        done.await(120, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      err.printf("interrupted: checkpoint written; resume with: sentigraph train --resume %s%n", run.runFolder().dir());
      err.flush();
    });
    Runtime.getRuntime().addShutdownHook(hook);
    TrainingRun.Result result;
    try {
      result = run.run();
    } finally {
      done.countDown();
    }
    if (result.interrupted()) {
      return 130; // the shutdown hook prints how to resume; the checkpoint is 'interrupted' or the epoch's own
    }
    Runtime.getRuntime().removeShutdownHook(hook);
    if (result.test() == null) {
      err.println("error: training stopped: " + result.stopReason());
      return 1;
    }
    if (result.stopReason() != null) {
      err.println(result.stopReason());
    }
    outWriter.printf(Locale.ROOT, "test loss: %.4f - test accuracy: %.4f%n", result.test().loss(),
        result.test().accuracy());
    outWriter.flush();
    return 0;
  }
}
