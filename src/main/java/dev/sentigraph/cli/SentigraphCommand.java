package dev.sentigraph.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The top-level {@code sentigraph} command: only dispatches to subcommands. */
@Command(
    name = "sentigraph",
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    description = "Train and serve Keras-style IMDB sentiment models as TensorFlow graphs on the JVM.",
    subcommands = {
      CommandLine.HelpCommand.class,
      DataCommand.class,
      PresetsCommand.class,
      SummaryCommand.class,
      TrainCommand.class,
      EvaluateCommand.class,
      BenchCommand.class,
      PredictCommand.class,
      InspectCommand.class,
      ExportCommand.class,
      NeighborsCommand.class,
      CompareCommand.class,
      ReportCommand.class,
      ServeCommand.class,
    })
public final class SentigraphCommand implements Runnable {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    throw new CommandLine.ParameterException(spec.commandLine(), "a subcommand is required");
  }
}
