package dev.sentigraph.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code sentigraph serve}'s bad usage: one error line, exit 2, before anything binds a port. */
class ServeCommandTest {
  @TempDir Path dir;

  @Test
  void badUsageIsOneErrorLineAndExit2() throws IOException {
    Cli.Run none = Cli.run("serve", "--rest_api_port=0");
    assertEquals(2, none.status(), none.err());
    assertTrue(none.err().startsWith("error: nothing to serve"), none.err());

    Path config = dir.resolve("models.config");
    Files.writeString(config, "model_config_list { config { name: \"a\" base_path: \"/x\" unknown_field: 1 } }");
    Cli.Run bad = Cli.run("serve", "--rest_api_port=0", "--model_config_file=" + config);
    assertEquals(2, bad.status(), bad.err());
    assertTrue(bad.err().contains("unknown_field") && bad.err().lines().count() == 1, bad.err());

    Cli.Run both = Cli.run("serve", "--model_config_file=" + config, "--model_base_path=" + dir);
    assertEquals(2, both.status());
    Cli.Run batching = Cli.run("serve", "--model_base_path=" + dir, "--batching_parameters_file=" + config);
    assertEquals(2, batching.status());
    assertTrue(batching.err().contains("--enable_batching"), batching.err());
  }
}
