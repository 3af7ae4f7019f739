package dev.sentigraph.spark;

import dev.sentigraph.InvalidInputException;
import dev.sentigraph.LoadOptions;
import dev.sentigraph.cli.OutputChoice;
import dev.sentigraph.data.OutputMode;
import dev.sentigraph.runtime.NativeSettings;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.apache.hadoop.fs.Path;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * The {@code spark-submit} job: reads reviews, scores them with {@link SentimentScorer}, and writes one row per
 * input row: the id column (or {@code row}, the input row number), {@code probability}, {@code label} and
 * {@code error}. Bad input on the command line is one {@code error: ...} line and exit status 2.
 */
@Command(name = "ScoreJob", mixinStandardHelpOptions = true,
    description = "Scores reviews with a sentigraph model on Spark (docs/spark.md).")
public final class ScoreJob implements Callable<Integer> {
  static final String ROW_NUMBER = "row";
  static final String CORRUPT_RECORD = "_corrupt_record";
  static final String NOT_JSON = "the line is not a JSON object";

  @Option(names = "--model", required = true, paramLabel = "PATH",
      description = "Run folder, .keras file or SavedModel folder, readable on every executor (or shipped with --files).")
  String model;

  @Option(names = "--input", required = true, paramLabel = "PATH",
      description = "Parquet, .json/.jsonl, .csv with a header, or a folder of .txt files (id = file name).")
  String input;

  @Option(names = "--output", required = true, paramLabel = "PATH", description = "Where the scores go (must not exist).")
  String output;

  @Option(names = "--text-column", defaultValue = "text", description = "Column holding the text (default: ${DEFAULT-VALUE}).")
  String textColumn;

  @Option(names = "--id-column", defaultValue = "id",
      description = "Column kept beside the scores (default: ${DEFAULT-VALUE}); without one, the row number (" + ROW_NUMBER + ").")
  String idColumn;

  @Option(names = "--format", defaultValue = "parquet", description = "Output format: parquet or json (default: ${DEFAULT-VALUE}).")
  String format;

  @Option(names = "--input-format", description = "parquet, json, csv or text; default: from the file extensions.")
  String inputFormat;

  @Option(names = "--batch-size", defaultValue = "" + LoadOptions.DEFAULT_BATCH_SIZE,
      description = "Reviews per inference call (default: ${DEFAULT-VALUE}).")
  int batchSize;

  @Option(names = "--word-index", paramLabel = "FILE",
      description = "Word-to-rank JSON for raw text (default: the model's own, else imdb_word_index.json beside the default data).")
  String wordIndex;

  @Option(names = "--executor-threads", paramLabel = "N",
      description = "Cores per executor that TensorFlow may use (default: spark.executor.cores, or C of local-cluster[N,C,MB]).")
  Integer executorThreads;

  @Mixin OutputChoice outputChoice;

  @Option(names = "--features", paramLabel = "MODE", description = "What a model's Dense input is, when the file"
      + " cannot say: multi_hot (Deep Learning with Python's vectorize_sequences of the token ids) or count.")
  String features;

  @Option(names = "--all-outputs", description = "Add column 'outputs': every output's values by output name.")
  boolean allOutputs;

  public static void main(String[] args) {
    NativeSettings.apply();
    // Exits even on success: a thread left behind by a library must not keep the driver alive.
    System.exit(run(args));
  }

  /** Runs the job and returns its exit status. */
  static int run(String... args) {
    return JobCommandLine.execute(new ScoreJob(), args);
  }

  @Override
  public Integer call() {
    String outFormat = format.toLowerCase(Locale.ROOT);
    if (!outFormat.equals("parquet") && !outFormat.equals("json")) {
      throw new InvalidInputException("output format " + format + " is not parquet or json", "format");
    }
    new ScoringConfig(model, wordIndex, batchSize, executorThreads, outputChoice.outputName(),
        outputChoice.labels(), allOutputs, features == null ? null
            : OutputMode.featuresOf(features, "--features")); // option errors before Spark starts
    SparkConf conf = new SparkConf();
    if (!conf.contains("spark.master")) {
      conf.setMaster("local[*]");
    }
    SparkSession spark = SparkSession.builder().appName("sentigraph score").config(conf).getOrCreate();
    try {
      String modelPath = model;
      String indexPath = wordIndex;
      if (spark.sparkContext().master().startsWith("local")) {
        // Driver and executors share this machine: a wrong path is told before any task starts, and a relative
        // one is made absolute (executors run in folders of their own). On a cluster the paths are the
        // executors' (--files, --archives) and only they can check them.
        modelPath = ExecutorModels.resolve(model, "model").toAbsolutePath().toString();
        indexPath = wordIndex == null ? null : ExecutorModels.resolve(wordIndex, "word index").toAbsolutePath().toString();
      }
      checkOutputFree(spark);
      JobInput.Kind kind = inputFormat != null ? kind(inputFormat) : JobInput.detect(spark, input);
      Dataset<Row> rows = JobInput.read(spark, input, kind, idColumn, textColumn);
      String id = Arrays.asList(rows.columns()).contains(idColumn) ? idColumn : ROW_NUMBER;
      if (id.equals(ROW_NUMBER)) {
        rows = withRowNumbers(spark, rows);
      }
      SentimentScorer scorer = new SentimentScorer(modelPath).setInputCol(textColumn).setBatchSize(batchSize)
          .setAllOutputs(allOutputs);
      if (features != null) {
        scorer.setFeatures(features);
      }
      if (outputChoice.outputName() != null) {
        scorer.setOutputName(outputChoice.outputName());
      }
      if (outputChoice.labels() != null) {
        scorer.setClassNames(outputChoice.labels().toArray(new String[0]));
      }
      Integer cores = executorThreads != null ? executorThreads : ExecutorThreads.executorCores(conf);
      if (cores != null) {
        scorer.setExecutorThreads(cores);
      }
      if (indexPath != null) {
        scorer.setWordIndex(indexPath);
      }
      Dataset<Row> scored = scorer.transform(rows);
      if (Arrays.asList(rows.columns()).contains(CORRUPT_RECORD)) {
        // Spark's JSON reader keeps a line it cannot parse as a row of nulls plus the raw line: say so.
        scored = scored.withColumn(SentimentScorer.ERROR, functions.when(functions.col(CORRUPT_RECORD).isNotNull(),
            functions.lit(NOT_JSON)).otherwise(functions.col(SentimentScorer.ERROR)));
      }
      // the id, then the columns the scorer adds (probability, label, probabilities, ..., error)
      List<String> all = Arrays.asList(scored.columns());
      List<String> kept = new ArrayList<>(List.of(id));
      kept.addAll(all.subList(all.indexOf(SentimentScorer.PROBABILITY), all.size()));
      scored = scored.select(columns(kept.toArray(new String[0])));
      // JSON keeps null fields, so that every row has the same names.
      long start = System.nanoTime();
      scored.write().format(outFormat).option("ignoreNullFields", "false").save(output);
      System.err.printf(Locale.ROOT, "sentigraph: scored %s into %s in %.1f s%n", input, output,
          (System.nanoTime() - start) / 1e9);
      return 0;
    } finally {
      spark.stop();
    }
  }

  static JobInput.Kind kind(String name) {
    try {
      return JobInput.Kind.valueOf(name.toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new InvalidInputException("input format " + name + " is not parquet, json, csv or text", "inputFormat");
    }
  }

  private void checkOutputFree(SparkSession spark) {
    Path out = new Path(output);
    try {
      if (out.getFileSystem(spark.sparkContext().hadoopConfiguration()).exists(out)) {
        throw new InvalidInputException("output " + output + " already exists: give a new path", "output");
      }
    } catch (IOException e) {
      throw new InvalidInputException("cannot check output " + output + ": " + e.getMessage(), "output");
    }
  }

  /** {@code rows} with their position in the input as column {@code row}, 0-based. */
  private static Dataset<Row> withRowNumbers(SparkSession spark, Dataset<Row> rows) {
    StructType schema = rows.schema().add(ROW_NUMBER, DataTypes.LongType, false);
    JavaRDD<Row> numbered = rows.javaRDD().zipWithIndex().map(pair -> {
      Row r = pair._1();
      Object[] values = new Object[r.length() + 1];
      for (int i = 0; i < r.length(); i++) {
        values[i] = r.get(i);
      }
      values[r.length()] = pair._2();
      return RowFactory.create(values);
    });
    return spark.createDataFrame(numbered, schema);
  }

  private static Column[] columns(String... names) {
    List<Column> c = new ArrayList<>();
    for (String n : names) {
      c.add(functions.col(n));
    }
    return c.toArray(new Column[0]);
  }
}
