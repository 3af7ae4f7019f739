package dev.sentigraph.train;

import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * Saves a checkpoint after every epoch ({@code epoch-NNN}), another as {@code best} when the validation
 * loss improves, and one named {@code interrupted} when the loop stops mid-epoch.
 */
public final class Checkpointer implements TrainingListener {
  private final RunFolder run;

  public Checkpointer(RunFolder run) {
    this.run = run;
  }

  @Override
  public void onEpochEnd(EpochLogs logs, FitLoop loop) {
    save(String.format("epoch-%03d", logs.epoch()), loop);
    if (logs.valLoss() != null && loop.state().bestEpoch() == logs.epoch()) {
      save("best", loop);
    }
  }

  @Override
  public void onInterrupted(FitLoop loop) {
    save("interrupted", loop);
  }

  private void save(String name, FitLoop loop) {
    try {
      run.writeCheckpoint(name, prefix -> loop.graph().save(prefix), loop.state());
    } catch (IOException e) {
      throw new UncheckedIOException("could not write checkpoint " + name + " in " + run.dir() + ": " + e.getMessage(), e);
    }
  }
}
