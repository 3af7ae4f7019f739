package dev.sentigraph;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** {@code savedmodels/<family>/golden.json}: token rows and what Keras predicted for them (make_keras_savedmodels.py). */
public record KerasGolden(String kerasVersion, int seqLen, int rows, int[] tokens, double[] probabilities) {
  public static final Path ROOT = Path.of("savedmodels");

  public static KerasGolden read(String family) throws IOException {
    JsonObject golden = JsonParser.parseString(Files.readString(ROOT.resolve(family).resolve("golden.json"))).getAsJsonObject();
    JsonArray rows = golden.getAsJsonArray("tokens");
    int seqLen = golden.get("seq_len").getAsInt();
    int[] tokens = new int[rows.size() * seqLen];
    for (int i = 0; i < rows.size(); i++) {
      for (int t = 0; t < seqLen; t++) {
        tokens[i * seqLen + t] = rows.get(i).getAsJsonArray().get(t).getAsInt();
      }
    }
    JsonArray p = golden.getAsJsonArray("probabilities");
    double[] probabilities = new double[p.size()];
    for (int i = 0; i < probabilities.length; i++) {
      probabilities[i] = p.get(i).getAsDouble();
    }
    return new KerasGolden(golden.get("keras_version").getAsString(), seqLen, rows.size(), tokens, probabilities);
  }

  /** The token rows, one array each. */
  public int[][] tokenRows() {
    int[][] out = new int[rows][];
    for (int i = 0; i < rows; i++) {
      out[i] = java.util.Arrays.copyOfRange(tokens, i * seqLen, (i + 1) * seqLen);
    }
    return out;
  }
}
