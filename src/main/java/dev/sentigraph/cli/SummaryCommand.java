package dev.sentigraph.cli;

import dev.sentigraph.model.ModelSummary;
import dev.sentigraph.model.SequentialModel;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code sentigraph summary}: Keras' model.summary() table for a preset or config. */
@Command(name = "summary", mixinStandardHelpOptions = true, description = "Print a Keras-style model summary.")
final class SummaryCommand implements Callable<Integer> {
  @Mixin ModelChoice choice;
  @Mixin VerboseOption verbose;
  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    spec.commandLine().getOut().print(ModelSummary.render(SequentialModel.of(choice.resolve().model())));
    spec.commandLine().getOut().flush();
    return 0;
  }
}
