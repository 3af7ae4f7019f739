package dev.sentigraph.spark;

import dev.sentigraph.InvalidInputException;
import dev.sentigraph.LoadOptions;
import dev.sentigraph.data.OutputMode;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.spark.ml.Transformer;
import org.apache.spark.ml.param.BooleanParam;
import org.apache.spark.ml.param.IntParam;
import org.apache.spark.ml.param.Param;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.ml.param.ParamValidators;
import org.apache.spark.ml.param.StringArrayParam;
import org.apache.spark.ml.util.Identifiable$;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * A Spark ML {@link Transformer} that scores a text column with a sentigraph model: it adds {@code probability}
 * (double), {@code label} (int) and {@code error} (string) to every row, in the order the rows came. Rows with
 * no text (null, empty, undecodable bytes) get null scores and say why in {@code error}; they never fail the job.
 *
 * <pre>{@code
 * Dataset<Row> scored = new SentimentScorer("models/lstm").setInputCol("review").transform(reviews);
 * }</pre>
 *
 * <p>Each executor JVM loads the model once, on its first task, and shares it with its other tasks; rows go to
 * the model {@link #setBatchSize batch} rows at a time. The model path must be readable on every executor, or
 * be the name of a file shipped with {@code --files} (docs/spark.md).
 */
public final class SentimentScorer extends Transformer {
  private final String uid;
  private final Param<String> modelPath;
  private final Param<String> inputCol;
  private final Param<String> wordIndex;
  private final IntParam batchSize;
  private final IntParam executorThreads;
  private final Param<String> outputName;
  private final StringArrayParam classNames;
  private final BooleanParam allOutputs;
  private final Param<String> features;

  /** A scorer for the model at {@code modelPath}, reading column {@code text}. */
  public SentimentScorer(String modelPath) {
    this(Identifiable$.MODULE$.randomUID("sentimentScorer"), modelPath);
  }

  /** {@code modelPath} null: {@link #copy} sets it with the other params. */
  private SentimentScorer(String uid, String modelPath) {
    this.uid = uid;
    this.modelPath = new Param<>(this, "modelPath", "the model: run folder, .keras file or SavedModel folder");
    this.inputCol = new Param<>(this, "inputCol", "the column holding the text (string, or UTF-8 bytes)");
    this.wordIndex = new Param<>(this, "wordIndex", "word-to-rank JSON for raw text (default: the model's own)");
    this.batchSize = new IntParam(this, "batchSize", "reviews per inference call", ParamValidators.gt(0));
    this.executorThreads = new IntParam(this, "executorThreads", "cores per executor, which TensorFlow's threads"
        + " are held to (default: TensorFlow's own pools)", ParamValidators.gt(0));
    this.outputName = new Param<>(this, "outputName", "for a model with several outputs, the one that gives the"
        + " scores (default: the first)");
    this.classNames = new StringArrayParam(this, "classNames", "a name per class of that output, given in column"
        + " 'class' (K for a K-class output; negative, positive for a binary one)");
    this.allOutputs = new BooleanParam(this, "allOutputs", "add column 'outputs': every output's values by name");
    this.features = new Param<>(this, "features", "what a model's Dense input is when its file cannot say:"
        + " multi_hot (Deep Learning with Python's vectorize_sequences of the token ids) or count");
    setDefault(allOutputs, false);
    setDefault(inputCol, "text");
    setDefault(batchSize, LoadOptions.DEFAULT_BATCH_SIZE);
    if (modelPath != null) {
      set(this.modelPath, modelPath);
    }
  }

  public static final String PROBABILITY = "probability";
  public static final String LABEL = "label";
  /** Every class's probability: a K-class model's, or a binary model's [1 - p, p], as Spark ML classifiers give. */
  public static final String PROBABILITIES = "probabilities";
  /** The top class's name, when the classes are named ({@link #setClassNames}). */
  public static final String CLASS = "class";
  /** Every output's values by output name ({@link #setAllOutputs}). */
  public static final String OUTPUTS = "outputs";
  public static final String ERROR = "error";

  @Override
  public String uid() {
    return uid;
  }

  public Param<String> modelPath() {
    return modelPath;
  }

  public Param<String> inputCol() {
    return inputCol;
  }

  public Param<String> wordIndex() {
    return wordIndex;
  }

  public IntParam batchSize() {
    return batchSize;
  }

  public SentimentScorer setInputCol(String column) {
    set(inputCol, column);
    return this;
  }

  public SentimentScorer setWordIndex(String path) {
    set(wordIndex, path);
    return this;
  }

  public IntParam executorThreads() {
    return executorThreads;
  }

  /** Holds TensorFlow on each executor to {@code cores} threads: one intra-op, {@code cores} inter-op. */
  public SentimentScorer setExecutorThreads(int cores) {
    set(executorThreads, cores);
    return this;
  }

  public Param<String> outputName() {
    return outputName;
  }

  public StringArrayParam classNames() {
    return classNames;
  }

  public BooleanParam allOutputs() {
    return allOutputs;
  }

  public SentimentScorer setOutputName(String name) {
    set(outputName, name);
    return this;
  }

  public SentimentScorer setClassNames(String... names) {
    set(classNames, names);
    return this;
  }

  public SentimentScorer setAllOutputs(boolean all) {
    set(allOutputs, all);
    return this;
  }

  public Param<String> features() {
    return features;
  }

  public SentimentScorer setFeatures(String mode) {
    set(features, mode);
    return this;
  }

  public SentimentScorer setBatchSize(int n) {
    set(batchSize, n);
    return this;
  }

  public String getModelPath() {
    return $(modelPath);
  }

  public String getInputCol() {
    return $(inputCol);
  }

  public int getBatchSize() {
    return (Integer) $(batchSize);
  }

  /** What executors need to score with this scorer's settings. */
  ScoringConfig config() {
    return new ScoringConfig(getModelPath(), isDefined(wordIndex) ? $(wordIndex) : null, getBatchSize(),
        isDefined(executorThreads) ? (Integer) $(executorThreads) : null, isDefined(outputName) ? $(outputName) : null,
        isDefined(classNames) ? List.of((String[]) $(classNames)) : null, (Boolean) $(allOutputs),
        isDefined(features) ? OutputMode.featuresOf($(features), "features") : null);
  }

  @Override
  public Dataset<Row> transform(Dataset<?> dataset) {
    StructType out = transformSchema(dataset.schema());
    int column = Arrays.asList(dataset.schema().fieldNames()).indexOf(getInputCol());
    return dataset.toDF().mapPartitions(new PartitionScorer(config(), column), Encoders.row(out));
  }

  @Override
  public StructType transformSchema(StructType schema) {
    String column = getInputCol();
    StructField field = Arrays.stream(schema.fields()).filter(f -> f.name().equals(column)).findFirst()
        .orElseThrow(() -> new InvalidInputException("no column '" + column + "' to score: the columns are "
            + Arrays.toString(schema.fieldNames()) + " (set the text column with setInputCol)", "inputCol"));
    if (!field.dataType().equals(DataTypes.StringType) && !field.dataType().equals(DataTypes.BinaryType)) {
      throw new InvalidInputException("column '" + column + "' is " + field.dataType().simpleString()
          + ": expected string or binary (UTF-8) text", "inputCol");
    }
    ScoringConfig config = config();
    List<String> columns = new ArrayList<>(List.of(PROBABILITY, LABEL, PROBABILITIES));
    if (config.classNames() != null) {
      columns.add(CLASS);
    }
    if (config.allOutputs()) {
      columns.add(OUTPUTS);
    }
    columns.add(ERROR);
    for (String added : columns) {
      if (Arrays.asList(schema.fieldNames()).contains(added)) {
        throw new InvalidInputException("the input already has a column '" + added + "': rename it before"
            + " scoring", "inputCol");
      }
    }
    StructType out = schema
        .add(PROBABILITY, DataTypes.DoubleType, true)
        .add(LABEL, DataTypes.IntegerType, true)
        .add(PROBABILITIES, DataTypes.createArrayType(DataTypes.DoubleType, false), true);
    if (config.classNames() != null) {
      out = out.add(CLASS, DataTypes.StringType, true);
    }
    if (config.allOutputs()) {
      out = out.add(OUTPUTS, DataTypes.createMapType(DataTypes.StringType,
          DataTypes.createArrayType(DataTypes.FloatType, false), false), true);
    }
    return out.add(ERROR, DataTypes.StringType, true);
  }

  @Override
  public SentimentScorer copy(ParamMap extra) {
    return copyValues(new SentimentScorer(uid, null), extra);
  }
}
