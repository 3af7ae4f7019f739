package dev.sentigraph.cli;

import dev.sentigraph.train.EpochLogs;
import dev.sentigraph.train.FitLoop;
import dev.sentigraph.train.TrainingListener;
import java.io.PrintWriter;
import java.util.Locale;

/**
 * Keras' {@code fit} progress bar on stderr: {@code 45/196 ━━━━━━━━━━━━━━━━━━━━ 1:10 468ms/step - accuracy: ... -
 * loss: ...}, redrawn in place on a terminal; elsewhere (logs, CI) only the epoch lines.
 */
public final class ProgressBar implements TrainingListener {
  private static final int WIDTH = 20;
  private final PrintWriter err;
  private final boolean live;
  private long epochStart;
  private long lastDraw;
  private int epochs;

  public ProgressBar(PrintWriter err, boolean live) {
    this.err = err;
    this.live = live;
  }

  @Override
  public void onTrainBegin(FitLoop loop) {
    epochs = loop.settings().epochs();
  }

  @Override
  public void onEpochBegin(int epoch, int steps) {
    err.printf(Locale.ROOT, "Epoch %d/%d%n", epoch, epochs);
    err.flush();
    epochStart = System.nanoTime();
  }

  @Override
  public void onBatchEnd(int epoch, int batch, int steps, double loss, double accuracy) {
    long now = System.nanoTime();
    if (!live || (now - lastDraw < 100_000_000L && batch < steps)) {
      return;
    }
    lastDraw = now;
    double msPerStep = (now - epochStart) / 1e6 / batch;
    long etaSeconds = Math.round(msPerStep * (steps - batch) / 1000);
    err.printf(Locale.ROOT, "\r%s %s %d:%02d %.0fms/step - accuracy: %.4f - loss: %.4f\u001b[K", counter(batch, steps),
        bar(batch, steps), etaSeconds / 60, etaSeconds % 60, msPerStep, accuracy, loss);
    err.flush();
  }

  @Override
  public void onEpochEnd(EpochLogs logs, FitLoop loop) {
    StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "%s %s %.0fs %.0fms/step - accuracy: %.4f - loss: %.4f",
        counter(logs.steps(), logs.steps()), bar(1, 1), logs.seconds(), 1000 * logs.seconds() / Math.max(1, logs.steps()),
        logs.accuracy(), logs.loss()));
    if (logs.valLoss() != null) {
      line.append(String.format(Locale.ROOT, " - val_accuracy: %.4f - val_loss: %.4f", logs.valAccuracy(), logs.valLoss()));
    }
    err.print((live ? "\r" : "") + line + (live ? "\u001b[K" : "") + "\n");
    err.flush();
  }

  @Override
  public void onInterrupted(FitLoop loop) {
    err.println();
    err.flush();
  }

  private static String counter(int batch, int steps) {
    String s = String.valueOf(steps);
    return " ".repeat(s.length() - String.valueOf(batch).length()) + batch + "/" + s;
  }

  private String bar(int batch, int steps) {
    int done = (int) Math.round(WIDTH * (double) batch / steps);
    String rest = "\u2501".repeat(WIDTH - done);
    return "\u2501".repeat(done) + (live && !rest.isEmpty() ? "\u001b[2m" + rest + "\u001b[0m" : rest);
  }
}
