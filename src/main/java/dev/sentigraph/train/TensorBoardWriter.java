package dev.sentigraph.train;

import dev.sentigraph.runtime.SessionSettings;
import java.nio.file.Path;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Session;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.proto.ConfigProto;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt64;
import org.tensorflow.types.TString;

/**
 * Per-epoch scalars (loss, accuracy, val_loss, val_accuracy) as TensorBoard event files, written by TF's own
 * summary-writer ops in a small graph of their own, so stock TensorBoard reads them.
 */
public final class TensorBoardWriter implements TrainingListener, AutoCloseable {
  private final Graph graph = new Graph();
  private final Session session;
  private final Placeholder<TInt64> step;
  private final Placeholder<TString> tag;
  private final Placeholder<TFloat32> value;
  private final Op write;
  private final Op flush;
  private final Op close;

  /** A writer into {@code logDir} whose session runs with {@code sessionConfig} ({@link SessionSettings}). */
  public TensorBoardWriter(Path logDir, ConfigProto sessionConfig) {
    Ops tf = Ops.create(graph);
    Operand<?> writer = tf.summary.summaryWriter();
    Op create = tf.summary.createSummaryFileWriter(writer, tf.constant(logDir.toAbsolutePath().toString()),
        tf.constant(10), tf.constant(1000), tf.constant(".sentigraph"));
    step = tf.placeholder(TInt64.class, Placeholder.shape(Shape.scalar()));
    tag = tf.placeholder(TString.class, Placeholder.shape(Shape.scalar()));
    value = tf.placeholder(TFloat32.class, Placeholder.shape(Shape.scalar()));
    write = tf.summary.writeScalarSummary(writer, step, tag, value);
    flush = tf.summary.flushSummaryWriter(writer);
    close = tf.summary.closeSummaryWriter(writer);
    session = new Session(graph, sessionConfig);
    session.run(create);
  }

  @Override
  public void onEpochEnd(EpochLogs logs, FitLoop loop) {
    scalar("epoch_loss", logs.epoch(), logs.loss());
    scalar("epoch_accuracy", logs.epoch(), logs.accuracy());
    if (logs.valLoss() != null) {
      scalar("epoch_val_loss", logs.epoch(), logs.valLoss());
      scalar("epoch_val_accuracy", logs.epoch(), logs.valAccuracy());
    }
    session.run(flush);
  }

  private void scalar(String name, long epoch, double v) {
    try (TInt64 s = TInt64.scalarOf(epoch); TString t = TString.scalarOf(name); TFloat32 x = TFloat32.scalarOf((float) v)) {
      session.runner().feed(step, s).feed(tag, t).feed(value, x).addTarget(write).run();
    }
  }

  @Override
  public void close() {
    session.run(close);
    session.close();
    graph.close();
  }
}
