package dev.sentigraph.train;

import dev.sentigraph.plot.PngCharts;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Keeps {@code history.json}, {@code history.csv} and {@code curves.png} of a run current after each epoch. */
public final class HistoryWriter implements TrainingListener {
  private final RunFolder run;

  public HistoryWriter(RunFolder run) {
    this.run = run;
  }

  @Override
  public void onEpochEnd(EpochLogs logs, FitLoop loop) {
    List<EpochLogs> history = loop.history();
    try {
      run.writeHistory(history);
      Map<String, double[]> series = new LinkedHashMap<>();
      series.put("loss", history.stream().mapToDouble(EpochLogs::loss).toArray());
      series.put("accuracy", history.stream().mapToDouble(EpochLogs::accuracy).toArray());
      if (history.stream().allMatch(h -> h.valLoss() != null)) {
        series.put("val_loss", history.stream().mapToDouble(EpochLogs::valLoss).toArray());
        series.put("val_accuracy", history.stream().mapToDouble(EpochLogs::valAccuracy).toArray());
      }
      PngCharts.lines(run.dir().resolve("curves.png"), "Training curves", "epoch", "value", series);
    } catch (IOException e) {
      throw new UncheckedIOException("could not write history of " + run.dir() + ": " + e.getMessage(), e);
    }
  }
}
