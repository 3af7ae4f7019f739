package dev.sentigraph;

import java.nio.file.Files;
import java.nio.file.Path;

/** Where tests find the full IMDB data: {@code $SENTIGRAPH_DATA}, then {@code ../shared/data/imdb}. */
public final class TestData {
  private TestData() {}

  /** The folder holding imdb.npz and imdb_word_index.json, or null when absent. */
  public static Path imdbFolder() {
    String env = System.getenv("SENTIGRAPH_DATA");
    for (Path p : env != null ? new Path[] {Path.of(env), Path.of("../shared/data/imdb")}
        : new Path[] {Path.of("../shared/data/imdb")}) {
      Path dir = Files.isDirectory(p) ? p : p.getParent();
      if (dir != null && Files.isRegularFile(dir.resolve("imdb.npz"))) {
        return dir;
      }
    }
    return null;
  }

  public static final String ABSENT = "IMDB data absent: set SENTIGRAPH_DATA or put ../shared/data/imdb beside the repo";
}
