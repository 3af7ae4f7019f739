package dev.sentigraph.serve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sentigraph.error.InputException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** TF Serving's config files in protobuf text format, as tensorflow_model_server reads them. */
class ServingConfigFilesTest {
  @TempDir Path dir;

  private Path write(String text) throws IOException {
    Path f = dir.resolve("file.config");
    Files.writeString(f, text);
    return f;
  }

  @Test
  void readsSeveralModelsWithPoliciesAndLabels() throws IOException {
    List<ModelSource> models = ServingConfigFiles.models(write("""
        # TF Serving's documented example shape
        model_config_list: {
          config: { name: "imdb", base_path: "/models/imdb", model_platform: "tensorflow",
                    model_version_policy: { specific: { versions: 1 versions: 3 } },
                    version_labels { key: 'stable' value: 1 } version_labels { key: 'canary' value: 3 } }
          config { name: "all" base_path: "/models/all" model_version_policy { all {} } }
          config { name: "two" base_path: "/models/two" model_version_policy { latest { num_versions: 2 } } }
          config { name: "plain" base_path: "relative/plain" }
        }
        """));
    assertEquals(4, models.size());
    ModelSource imdb = models.get(0);
    assertEquals("imdb", imdb.name());
    assertEquals(Path.of("/models/imdb"), imdb.basePath());
    assertEquals(new VersionPolicy.Specific(Set.of(1L, 3L)), imdb.policy());
    assertEquals(Map.of("stable", 1L, "canary", 3L), imdb.labels());
    assertEquals(new VersionPolicy.All(), models.get(1).policy());
    assertEquals(new VersionPolicy.Latest(2), models.get(2).policy());
    assertEquals(new VersionPolicy.Latest(1), models.get(3).policy());
    assertEquals(Path.of("relative/plain"), models.get(3).basePath());
  }

  @Test
  void policiesChooseAsTensorFlowServing() {
    TreeSet<Long> ready = new TreeSet<>(List.of(1L, 2L, 5L, 9L));
    assertEquals(Set.of(9L), VersionPolicy.latest().choose(ready));
    assertEquals(Set.of(5L, 9L), new VersionPolicy.Latest(2).choose(ready));
    assertEquals(ready, new VersionPolicy.All().choose(ready));
    assertEquals(Set.of(2L), new VersionPolicy.Specific(Set.of(2L, 3L)).choose(ready));
  }

  @Test
  void badFilesFailWithWhereAndWhat() throws IOException {
    InputException e = assertThrows(InputException.class, () -> ServingConfigFiles.models(write(
        "model_config_list { config { name: \"a\" base_pth: \"/x\" } }")));
    assertTrue(e.getMessage().contains("base_pth") && e.getMessage().contains("1:"), e.getMessage());
    e = assertThrows(InputException.class, () -> ServingConfigFiles.models(write(
        "model_config_list { config { name: \"a\" base_path: \"/x\" ")));
    assertTrue(e.getMessage().contains("ModelServerConfig"), e.getMessage());
    e = assertThrows(InputException.class, () -> ServingConfigFiles.models(write(
        "model_config_list { config { name: \"a\" base_path: \"/x\" } config { name: \"a\" base_path: \"/y\" } }")));
    assertTrue(e.getMessage().contains("twice"), e.getMessage());
    e = assertThrows(InputException.class, () -> ServingConfigFiles.models(write(
        "model_config_list { config { name: \"a\" } }")));
    assertTrue(e.getMessage().contains("base_path"), e.getMessage());
    e = assertThrows(InputException.class, () -> ServingConfigFiles.models(write("")));
    assertTrue(e.getMessage().contains("no model"), e.getMessage());
    e = assertThrows(InputException.class, () -> ServingConfigFiles.models(dir.resolve("missing.config")));
    assertTrue(e.getMessage().contains("missing.config"), e.getMessage());
  }

  @Test
  void readsBatchingAndMonitoringFiles() throws IOException {
    BatchingParameters b = ServingConfigFiles.batching(write("""
        max_batch_size { value: 128 }
        batch_timeout_micros { value: 5000 }
        num_batch_threads { value: 3 }
        """));
    assertEquals(new BatchingParameters(128, 5000, BatchingParameters.defaults().maxEnqueuedBatches(), 3), b);
    assertEquals(List.of(8, 32, 128), ServingConfigFiles.batching(write("""
        max_batch_size { value: 128 }
        allowed_batch_sizes: 8 allowed_batch_sizes: 32 allowed_batch_sizes: 128
        """)).allowedBatchSizes());
    InputException e = assertThrows(InputException.class, () -> ServingConfigFiles.batching(write(
        "max_batch_size { value: 128 } allowed_batch_sizes: 8 allowed_batch_sizes: 64")));
    assertTrue(e.getMessage().contains("must equal max_batch_size"), e.getMessage());
    assertThrows(InputException.class, () -> ServingConfigFiles.batching(write("max_batch_size { value: 0 }")));
    assertThrows(InputException.class, () -> ServingConfigFiles.batching(write("max_batch_size: 12")));
    assertEquals("/metrics", ServingConfigFiles.prometheusPath(write(
        "prometheus_config { enable: true, path: \"/metrics\" }")));
    assertEquals(ModelServer.DEFAULT_METRICS_PATH, ServingConfigFiles.prometheusPath(write(
        "prometheus_config { enable: true }")));
    assertNull(ServingConfigFiles.prometheusPath(write("prometheus_config { enable: false }")));
  }
}
