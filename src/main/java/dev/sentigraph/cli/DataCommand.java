package dev.sentigraph.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

/** Placeholder until the data pipeline lands. */
@Command(name = "data", description = "Dataset statistics, rows and histograms.")
final class DataCommand implements Callable<Integer> {
  @Override
  public Integer call() {
    throw new UnsupportedOperationException("sentigraph data is not implemented yet");
  }
}
