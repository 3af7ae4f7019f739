package dev.sentigraph.savedmodel;

import dev.sentigraph.config.ExecutionOptions;
import dev.sentigraph.data.DataSettings;
import dev.sentigraph.data.KerasTextVectorization;
import dev.sentigraph.data.WordIndex;
import dev.sentigraph.error.InputException;
import dev.sentigraph.io.AtomicFile;
import dev.sentigraph.io.FileTrees;
import dev.sentigraph.layers.GraphMode;
import dev.sentigraph.model.ModelGraph;
import dev.sentigraph.model.SequentialModel;
import dev.sentigraph.model.TrainedModel;
import dev.sentigraph.runtime.SessionSettings;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.SavedModelBundle;
import org.tensorflow.Session;
import org.tensorflow.Signature;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.proto.AssetFileDef;
import org.tensorflow.proto.DataType;
import org.tensorflow.proto.MetaGraphDef;
import org.tensorflow.proto.SavedModel;
import org.tensorflow.proto.SignatureDef;
import org.tensorflow.proto.TensorInfo;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;
import org.tensorflow.types.TString;

/**
 * Writes a trained model as a SavedModel for Python users: tag {@code serve}, signature {@code serving_default}
 * taking int32 token ids {@code tokens} [batch, seq_len] to float32 {@code probability} [batch, 1]. A model that
 * reads text through a TextVectorization is exported as Keras exports it: {@code serving_default} takes the raw
 * strings {@code text} [batch] and tokenises them in the graph; {@code serve_tokens} takes the ids and
 * {@code tokenize} returns them. The graph
 * is the inference pass alone, so the variables are the model's weights, without optimizer slots. Metadata
 * (model config, data settings, sentigraph version) goes to {@code assets.extra/sentigraph.json}. The folder
 * is written under a temporary name and renamed; an existing target needs {@code force}.
 */
public final class SavedModelExporter {
  private SavedModelExporter() {}

  static final String VOCABULARY_ASSET = "vocabulary.tsv";
  /** A text model's token signature: {@code serving_default} takes its raw text. */
  public static final String TOKENS_SIGNATURE = "serve_tokens";
  /** A text model's tokenisation alone: text to the token ids the model reads. */
  public static final String TOKENIZE_SIGNATURE = "tokenize";

  /**
   * Writes the SavedModel. With a word index, a second signature {@code serve_text} takes raw review strings
   * ({@code text}) and encodes them in the graph ({@link TextEncodingGraph}) to {@code probability} and the
   * {@code token_ids} it used; the vocabulary goes to {@code assets/vocabulary.tsv}.
   */
  public static void export(TrainedModel model, WordIndex words, Path target, boolean force, String version)
      throws IOException {
    if (model.config().anyLength()) {
      throw new InputException("model '" + model.config().name() + "' takes any input length, and a"
          + " SavedModel export fixes one: export it as .keras, or export it from Keras with model.export(dir)");
    }
    // its signature would take token ids and feed them to the Dense layer as features: every answer wrong
    SequentialModel.of(model.config()).featureInput().ifPresent(problem -> {
      throw new InputException(problem + ", and sentigraph's SavedModel takes token ids: export it as .keras, or"
          + " from Keras with model.export(dir)");
    });
    Path out = target.toAbsolutePath().normalize();
    if (Files.exists(out) && !force) {
      throw new InputException(target + " already exists: expected a new path (or replace it on purpose)", "force");
    }
    Files.createDirectories(out.getParent());
    Path tmp = Files.createTempDirectory(out.getParent(), "." + out.getFileName() + ".tmp");
    try {
      Path staging = tmp.resolve("model");
      try (Graph g = new Graph()) {
        Ops tf = Ops.create(g);
        int seqLen = model.config().seqLen();
        SequentialModel sequential = SequentialModel.of(model.config());
        // the encoding serve_text applies: the model's own, else Keras' load_data defaults for its vocabulary
        DataSettings data = (model.data() != null ? model.data()
            : DataSettings.keras(sequential.input().vocabulary(), seqLen)).withSeqLen(seqLen);
        ModelGraph mg = sequential.build(tf, 0);
        Placeholder<TInt32> tokens = tf.withName("tokens").placeholder(TInt32.class, Placeholder.shape(Shape.of(-1, seqLen)));
        // the head's output as Keras' export gives it: a sigmoid head's probability, a logit head's logit
        String output = sequential.output().name();
        Operand<TFloat32> probability = tf.withName(output)
            .identity(mg.head(mg.logits(tokens, false, tf.constant(new long[] {0, 0}))));
        List<Signature> signatures = new ArrayList<>();
        KerasTextVectorization vectorization = model.textVectorization();
        // a model that reads text is served text by default, as Keras' export of it; its ids stay reachable
        signatures.add(Signature.builder().key(vectorization != null ? TOKENS_SIGNATURE : "serving_default")
            .input("tokens", tokens).output(output, probability).build());
        TextEncodingGraph encoding = null;
        if (words != null || vectorization != null) {
          Placeholder<TString> text = tf.withName("text").placeholder(TString.class, Placeholder.shape(Shape.of(-1)));
          encoding = new TextEncodingGraph(tf, text, data, vectorization, VOCABULARY_ASSET);
          Operand<TFloat32> textProbability = tf.withName("text_" + output)
              .identity(mg.head(mg.logits(encoding.tokenIds(), false, tf.constant(new long[] {0, 0}))));
          tf.withName(TextEncodingGraph.INIT_OP).withControlDependencies(List.of(encoding.tableInit())).noOp();
          if (vectorization != null) {
            signatures.add(Signature.builder().key("serving_default").input("text", text)
                .output(output, textProbability).build());
            signatures.add(Signature.builder().key(TOKENIZE_SIGNATURE).input("text", text)
                .output("token_ids", encoding.tokenIds()).build());
          } else {
            signatures.add(Signature.builder().key("serve_text").input("text", text)
                .output(output, textProbability).output("token_ids", encoding.tokenIds()).build());
          }
        }
        try (Session s = new Session(g, SessionSettings.of(sequential, GraphMode.SERVE, ExecutionOptions.DEFAULT))) {
          s.run(mg.initializer());
          mg.writeWeights(s, model.weights());
          SavedModelBundle.exporter(staging.toString()).withTags("serve").withSession(s)
              .withSignatures(signatures.toArray(Signature[]::new)).export();
        }
        if (vectorization != null) {
          writeVocabulary(vectorization, staging.resolve("assets").resolve(VOCABULARY_ASSET));
          registerTableInit(staging.resolve("saved_model.pb"));
        } else if (encoding != null) {
          writeVocabulary(words, data, staging.resolve("assets").resolve(VOCABULARY_ASSET));
          registerTableInit(staging.resolve("saved_model.pb"));
        }
      }
      AtomicFile.writeString(staging.resolve("assets.extra").resolve(ExportMetadata.FILE_NAME),
          ExportMetadata.of(model, version).toJsonString());
      if (Files.exists(out)) {
        FileTrees.delete(out);
      }
      Files.move(staging, out);
    } finally {
      FileTrees.delete(tmp);
    }
  }

  /**
   * One "word TAB id" line per TextVectorization word past {@code ""} and {@code [UNK]} (ids 0 and 1 need no line:
   * nothing splits to an empty word, and unknown words map to 1). An adapted vocabulary holds no tab or newline:
   * the whitespace split removed them.
   */
  private static void writeVocabulary(KerasTextVectorization vectorization, Path file) throws IOException {
    StringBuilder lines = new StringBuilder();
    List<String> words = vectorization.vocabulary();
    for (int id = 2; id < words.size(); id++) {
      String w = words.get(id);
      if (w.indexOf('\t') >= 0 || w.indexOf('\n') >= 0 || w.indexOf('\r') >= 0) { // only a vocabulary given by hand
        throw new InputException("TextVectorization word " + id + " holds a tab or line break, which the"
            + " SavedModel's vocabulary table cannot carry: export it as .keras");
      }
      lines.append(w).append('\t').append(id).append('\n');
    }
    Files.createDirectories(file.getParent());
    Files.writeString(file, lines, StandardCharsets.UTF_8);
  }

  /** One "word TAB rank" line per word the model can tell apart from OOV (words with tabs cannot occur in text). */
  private static void writeVocabulary(WordIndex words, DataSettings data, Path file) throws IOException {
    Integer numWords = data.numWords();
    int indexFrom = data.indexFrom();
    StringBuilder lines = new StringBuilder();
    words.ranks().entrySet().stream()
        .filter(e -> numWords == null || e.getValue() + indexFrom < numWords)
        .filter(e -> e.getKey().indexOf('\t') < 0 && e.getKey().indexOf('\n') < 0 && !e.getKey().isEmpty())
        .sorted(Map.Entry.comparingByValue())
        .forEach(e -> lines.append(e.getKey()).append('\t').append(e.getValue()).append('\n'));
    Files.createDirectories(file.getParent());
    Files.writeString(file, lines, StandardCharsets.UTF_8);
  }

  /**
   * TF Java's exporter writes neither an init op nor asset records; loaders (TensorFlow's C++ loader under TF
   * Java, Python's tf.saved_model.load) need both to fill the vocabulary table, so they are added to the proto.
   */
  private static void registerTableInit(Path savedModelPb) throws IOException {
    SavedModel saved = SavedModel.parseFrom(Files.readAllBytes(savedModelPb));
    SavedModel.Builder b = saved.toBuilder();
    MetaGraphDef.Builder meta = b.getMetaGraphsBuilder(0);
    meta.putSignatureDef("__saved_model_init_op", SignatureDef.newBuilder()
        .putOutputs("__saved_model_init_op", TensorInfo.newBuilder().setName(TextEncodingGraph.INIT_OP).build())
        .build());
    meta.addAssetFileDef(AssetFileDef.newBuilder()
        .setTensorInfo(TensorInfo.newBuilder().setName(TextEncodingGraph.VOCABULARY_TENSOR + ":0").setDtype(DataType.DT_STRING))
        .setFilename(VOCABULARY_ASSET));
    Files.write(savedModelPb, b.build().toByteArray());
  }
}
