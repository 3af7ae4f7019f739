package dev.sentigraph.spark;

import dev.sentigraph.InvalidInputException;
import dev.sentigraph.cli.DataOptions;
import dev.sentigraph.cli.FitOptions;
import dev.sentigraph.cli.ModelChoice;
import dev.sentigraph.cli.ProgressBar;
import dev.sentigraph.runtime.NativeSettings;
import dev.sentigraph.train.TrainSettings;
import dev.sentigraph.train.TrainingRun;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * The {@code spark-submit} job of {@code scripts/spark-train}: {@code sentigraph train}'s options, trained
 * data-parallel on the executors ({@link SparkTrainingRun}) into a run folder on the driver. Keras-style epoch
 * lines and the cost of the averaging rounds go to stderr, the test metrics to stdout; bad options are one
 * {@code error: ...} line and exit status 2.
 */
@Command(name = "TrainJob", mixinStandardHelpOptions = true,
    description = "Trains a sentigraph preset or model config data-parallel on Spark (docs/spark.md).")
public final class TrainJob implements Callable<Integer> {
  private static final Pattern LOCAL_CLUSTER = Pattern.compile("local-cluster\\[\\s*(\\d+)\\s*,\\s*(\\d+)\\s*,.*\\]");

  @Mixin ModelChoice choice;
  @Mixin DataOptions dataOptions;
  @Mixin FitOptions fit;
  @Spec CommandSpec spec;

  @Option(names = "--input", paramLabel = "PATH",
      description = "Labelled reviews as a Spark DataFrame source instead of --data: Parquet, .json/.jsonl or .csv with a"
          + " header, any path Spark reads; a 'split' column (train/test) is honoured, else every fifth row is test.")
  String input;

  @Option(names = "--input-format", description = "parquet, json or csv; default: from the file extensions.")
  String inputFormat;

  @Option(names = "--text-column", defaultValue = "text", description = "Column holding the text (default: ${DEFAULT-VALUE}).")
  String textColumn;

  @Option(names = "--label-column", defaultValue = "label",
      description = "Column holding the label: 0/1, true/false, pos/neg (default: ${DEFAULT-VALUE}).")
  String labelColumn;

  @Option(names = "--workers", paramLabel = "N",
      description = "Model replicas training side by side (default: the executors' cores: N*C of local-cluster[N,C,MB],"
          + " else spark.executor.instances x spark.executor.cores, else Spark's default parallelism).")
  Integer workers;

  @Option(names = "--averaging-frequency", paramLabel = "K", defaultValue = "5",
      description = "Batches each worker trains between averagings (default: ${DEFAULT-VALUE}).")
  int averagingFrequency;

  @Option(names = "--aggregation-depth", paramLabel = "D", defaultValue = "2",
      description = "Depth of Spark's treeAggregate (default: ${DEFAULT-VALUE}).")
  int aggregationDepth;

  @Option(names = "--checkpoint-rounds", paramLabel = "N",
      description = "Also checkpoint every N rounds within an epoch (default: after each epoch only).")
  Integer checkpointRounds;

  @Option(names = "--executor-threads", paramLabel = "N",
      description = "Cores per executor TensorFlow may use (default: spark.executor.cores, or C of local-cluster[N,C,MB]).")
  Integer executorThreads;

  public static void main(String[] args) {
    NativeSettings.apply();
    System.exit(run(args));
  }

  /** Runs the job and returns its exit status. */
  static int run(String... args) {
    return JobCommandLine.execute(new TrainJob(), args);
  }

  @Override
  public Integer call() throws Exception {
    Path resume = fit.resume();
    PrintWriter err = spec.commandLine().getErr();
    PrintWriter stdout = spec.commandLine().getOut();
    if (input != null && dataOptions.data() != null) {
      throw new InvalidInputException("give --data or --input, not both");
    }
    TrainingRun.Builder builder = resume != null ? TrainingRun.resume(resume) : TrainingRun.of(choice.resolve());
    if (resume != null && choice.named()) {
      builder = builder.expecting(choice.resolve());
    }
    // with --input the run folder names it as its data: a resume without --input then fails on it, loudly
    fit.applyTo(builder.data(d -> input == null ? dataOptions.applyTo(d)
            : dataOptions.applyTo(d).withSource(Path.of(input))))
        .listener(new ProgressBar(err, false));
    SparkConf conf = new SparkConf();
    if (!conf.contains("spark.master")) {
      conf.setMaster("local[*]");
    }
    conf.setAppName(conf.get("spark.app.name", "sentigraph train"));
    SparkSession session = SparkSession.builder().config(conf).getOrCreate();
    try (JavaSparkContext sc = JavaSparkContext.fromSparkContext(session.sparkContext())) {
      if (input != null) {
        builder.reviews(DataFrameReviews.read(session, input, inputFormat, textColumn, labelColumn));
      }
      Integer cores = executorThreads != null ? executorThreads : ExecutorThreads.executorCores(conf);
      int replicas = workers != null ? workers : defaultWorkers(conf, sc);
      SparkTrainingRun spark = SparkTrainingRun.of(sc, builder, new SparkTrainingOptions(replicas, averagingFrequency,
          aggregationDepth, checkpointRounds, cores));
      TrainingRun run = spark.training();
      TrainSettings t = run.settings();
      err.printf(Locale.ROOT, "sentigraph: %s on %d reviews (%s), %s, %d workers averaging every %d batches, run folder"
          + " %s%n", run.model().name(), run.trainSize(), run.dataOrigin(), t.optimizer() + " lr " + t.learningRate()
          + " batch " + t.batchSize(), replicas, averagingFrequency, run.runFolder().dir());
      if (resume != null && run.runFolder().latest() != null) {
        var last = run.runFolder().latest();
        err.printf(Locale.ROOT, "resuming from checkpoint %s (epoch %d, batch %d)%n", last.dir().getFileName(),
            last.state().epoch(), last.state().batchesDone());
      }
      TrainingRun.Result result = spark.run();
      SparkTrainingStats s = spark.stats();
      err.printf(Locale.ROOT, "sentigraph: %d rounds: %.1f ms/step on a worker, %.2f s/round (%.2f s of it outside"
          + " the slowest worker's steps), state %.1f MB per worker and round each way, driver CPU %.1f s%n",
          s.rounds(), s.stepMs(), s.roundSeconds(), s.averagingSeconds(), s.stateBytes() / 1e6,
          s.driverCpuNanos() / 1e9);
      err.flush();
      if (result.test() == null) {
        err.println("error: training stopped: " + result.stopReason());
        return 1;
      }
      if (result.stopReason() != null) {
        err.println(result.stopReason());
      }
      stdout.printf(Locale.ROOT, "test loss: %.4f - test accuracy: %.4f%n", result.test().loss(),
          result.test().accuracy());
      stdout.flush();
      return 0;
    }
  }

  /** The executors' cores when the master or the configuration tells them, else Spark's default parallelism. */
  static int defaultWorkers(SparkConf conf, JavaSparkContext sc) {
    Matcher m = LOCAL_CLUSTER.matcher(conf.get("spark.master", ""));
    if (m.matches()) {
      return Integer.parseInt(m.group(1)) * Integer.parseInt(m.group(2));
    }
    if (conf.contains("spark.executor.instances")) {
      return conf.getInt("spark.executor.instances", 1) * conf.getInt("spark.executor.cores", 1);
    }
    return sc.defaultParallelism();
  }
}
