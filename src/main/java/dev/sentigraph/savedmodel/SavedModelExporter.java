package dev.sentigraph.savedmodel;

import dev.sentigraph.InvalidInputException;
import dev.sentigraph.io.AtomicFile;
import dev.sentigraph.io.FileTrees;
import dev.sentigraph.model.ExportMetadata;
import dev.sentigraph.model.ModelGraph;
import dev.sentigraph.model.SequentialModel;
import dev.sentigraph.model.TrainedModel;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.SavedModelBundle;
import org.tensorflow.Session;
import org.tensorflow.Signature;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;

/**
 * Writes a trained model as a SavedModel for Python users: tag {@code serve}, signature {@code serving_default}
 * taking int32 token ids {@code tokens} [batch, seq_len] to float32 {@code probability} [batch, 1]. The graph
 * is the inference pass alone, so the variables are the model's weights, without optimizer slots. Metadata
 * (model config, data settings, sentigraph version) goes to {@code assets.extra/sentigraph.json}. The folder
 * is written under a temporary name and renamed; an existing target needs {@code force}.
 */
public final class SavedModelExporter {
  private SavedModelExporter() {}

  public static void export(TrainedModel model, Path target, boolean force, String version) throws IOException {
    Path out = target.toAbsolutePath().normalize();
    if (Files.exists(out) && !force) {
      throw new InvalidInputException("--out " + target + " already exists: expected a new path (or --force to replace it)");
    }
    Files.createDirectories(out.getParent());
    Path tmp = Files.createTempDirectory(out.getParent(), "." + out.getFileName() + ".tmp");
    try {
      Path staging = tmp.resolve("model");
      try (Graph g = new Graph()) {
        Ops tf = Ops.create(g);
        int seqLen = model.config().seqLen();
        ModelGraph mg = SequentialModel.of(model.config()).build(tf, 0);
        Placeholder<TInt32> tokens = tf.withName("tokens").placeholder(TInt32.class, Placeholder.shape(Shape.of(-1, seqLen)));
        Operand<TFloat32> probability = tf.withName("probability")
            .math.sigmoid(mg.logits(tokens, false, tf.constant(new long[] {0, 0})));
        try (Session s = new Session(g)) {
          s.run(mg.initializer());
          mg.writeWeights(s, model.weights());
          Signature serving = Signature.builder().key("serving_default").input("tokens", tokens)
              .output("probability", probability).build();
          SavedModelBundle.exporter(staging.toString()).withTags("serve").withSession(s).withSignature(serving).export();
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
}
