package dev.sentigraph.cli;

import dev.sentigraph.analysis.RunReport;
import dev.sentigraph.io.AtomicFile;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code sentigraph report}: runs side by side, as Markdown on stdout and optionally an HTML page. */
@Command(name = "report", mixinStandardHelpOptions = true,
    description = "Compare runs: parameters per layer, s/epoch, peak memory, best validation and test accuracy.")
final class ReportCommand implements Callable<Integer> {
  @Parameters(paramLabel = "RUN_DIR", arity = "1..*", description = "Run folders from sentigraph train.")
  List<Path> runs;

  @Option(names = "--html", paramLabel = "FILE", description = "Also write an HTML page with the learning curves.")
  Path html;

  @Mixin VerboseOption verbose;
  @Spec CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    RunReport report = RunReport.of(runs);
    spec.commandLine().getOut().print(report.markdown());
    spec.commandLine().getOut().flush();
    if (html != null) {
      AtomicFile.writeString(html, report.html());
      spec.commandLine().getErr().println("wrote " + html);
    }
    return 0;
  }
}
