package dev.sentigraph.cli;

import picocli.CommandLine.Option;

/** {@code --verbose}: stack traces on errors. Mixed into every subcommand. */
final class VerboseOption {
  @Option(names = "--verbose", description = "Print stack traces on errors.")
  boolean verbose;
}
