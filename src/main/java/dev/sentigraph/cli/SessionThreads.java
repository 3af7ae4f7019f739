package dev.sentigraph.cli;

import com.google.protobuf.TextFormat;
import dev.sentigraph.config.ExecutionOptions;
import dev.sentigraph.error.InputException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.tensorflow.proto.ConfigProto;

/**
 * TensorFlow's thread pools as TF Serving's flags set them ({@code server.cc}): {@code --tensorflow_intra_op_parallelism}
 * and {@code --tensorflow_inter_op_parallelism} when either is given, else {@code --tensorflow_session_parallelism}
 * for both, over a {@code --tensorflow_session_config_file}'s counts; 0 leaves sentigraph's choice.
 */
record SessionThreads(long intraOp, long interOp) {
  static SessionThreads of(Path sessionConfig, long session, long intra, long inter) {
    if (intra > 0 && inter > 0 && session > 0) {
      throw new InputException("Either configure --tensorflow_session_parallelism or"
          + " (--tensorflow_intra_op_parallelism, --tensorflow_inter_op_parallelism) separately. You cannot configure all.");
    }
    if (intra < 0 || inter < 0 || session < 0) {
      throw new InputException("TensorFlow thread counts must not be negative");
    }
    long fileIntra = 0;
    long fileInter = 0;
    if (sessionConfig != null) {
      ConfigProto.Builder b = ConfigProto.newBuilder();
      try {
        TextFormat.getParser().merge(Files.readString(sessionConfig), b);
      } catch (IOException e) {
        throw new InputException("cannot read " + sessionConfig + ": " + e.getMessage());
      }
      fileIntra = b.getIntraOpParallelismThreads();
      fileInter = b.getInterOpParallelismThreads();
    }
    if (intra > 0 || inter > 0) {
      return new SessionThreads(intra > 0 ? intra : fileIntra, inter > 0 ? inter : fileInter);
    }
    if (session > 0) {
      return new SessionThreads(session, session);
    }
    return new SessionThreads(fileIntra, fileInter);
  }

  /** The options with these counts; a count of 0 keeps the option's own. */
  ExecutionOptions applyTo(ExecutionOptions options) {
    return options.withThreads(intraOp > 0 ? Integer.valueOf(Math.toIntExact(intraOp)) : options.intraOpThreads(),
        interOp > 0 ? Integer.valueOf(Math.toIntExact(interOp)) : options.interOpThreads());
  }
}
