package dev.sentigraph.analysis;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.sentigraph.error.InputException;
import dev.sentigraph.io.JsonInput;
import dev.sentigraph.model.SequentialModel;
import dev.sentigraph.train.RunFolder;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;

/**
 * Training runs side by side, answering the notebooks' question of accuracy against complexity: parameters
 * per layer and in total, seconds per epoch, peak memory, best validation and final test accuracy; as
 * Markdown, and as an HTML page with each run's learning curves embedded.
 */
public final class RunReport {
  /** One run's figures; NaN or -1 where the run did not record them. */
  public record Row(String run, String model, List<String> layers, long params, double secondsPerEpoch, long peakRssMb,
      double bestValAccuracy, double testAccuracy, Path curves) {}

  private final List<Row> rows;

  private RunReport(List<Row> rows) {
    this.rows = rows;
  }

  public List<Row> rows() {
    return rows;
  }

  public static RunReport of(List<Path> runs) {
    List<Row> rows = new ArrayList<>();
    for (Path dir : runs) {
      RunFolder run = RunFolder.open(dir);
      SequentialModel model = SequentialModel.of(run.config());
      List<String> layers = new ArrayList<>();
      for (int i = 0; i < model.layers().size(); i++) {
        layers.add(String.format(Locale.ROOT, "%s %,d", model.layers().get(i).className(), model.paramCount(i)));
      }
      JsonArray history = readArray(dir.resolve("history.json"));
      double seconds = 0;
      double bestVal = Double.NaN;
      for (JsonElement e : history) {
        JsonObject h = e.getAsJsonObject();
        seconds += h.get("seconds").getAsDouble() / history.size();
        if (h.has("valAccuracy") && !h.get("valAccuracy").isJsonNull()) {
          double v = h.get("valAccuracy").getAsDouble();
          bestVal = Double.isNaN(bestVal) ? v : Math.max(bestVal, v);
        }
      }
      JsonObject metrics = Files.isRegularFile(dir.resolve("metrics.json")) ? readObject(dir.resolve("metrics.json")) : new JsonObject();
      rows.add(new Row(dir.getFileName().toString(), run.config().name(), layers, model.paramCount(),
          history.isEmpty() ? Double.NaN : seconds,
          metrics.has("peak_rss_mb") ? metrics.get("peak_rss_mb").getAsLong() : -1, bestVal,
          metrics.has("accuracy") ? metrics.get("accuracy").getAsDouble() : Double.NaN, dir.resolve("curves.png")));
    }
    return new RunReport(rows);
  }

  public String markdown() {
    StringBuilder md = new StringBuilder("| run | model | parameters by layer | total params | s/epoch | peak RSS MB |"
        + " best val accuracy | test accuracy |\n|---|---|---|---|---|---|---|---|\n");
    for (Row r : rows) {
      md.append(String.format(Locale.ROOT, "| %s | %s | %s | %,d | %s | %s | %s | %s |%n", r.run(), r.model(),
          String.join(", ", r.layers()), r.params(), fmt(r.secondsPerEpoch(), "%.1f"),
          r.peakRssMb() < 0 ? "-" : String.valueOf(r.peakRssMb()), fmt(r.bestValAccuracy(), "%.4f"),
          fmt(r.testAccuracy(), "%.4f")));
    }
    return md.toString();
  }

  public String html() throws IOException {
    StringBuilder h = new StringBuilder("<!doctype html><html><head><meta charset=\"utf-8\"><title>sentigraph runs</title>"
        + "<style>body{font-family:sans-serif;margin:2em}table{border-collapse:collapse}td,th{border:1px solid #ccc;"
        + "padding:4px 8px;text-align:right}td:first-child,th:first-child{text-align:left}img{max-width:480px}</style>"
        + "</head><body><h1>Runs</h1><table><tr><th>run</th><th>model</th><th>parameters by layer</th><th>total params"
        + "</th><th>s/epoch</th><th>peak RSS MB</th><th>best val accuracy</th><th>test accuracy</th></tr>");
    for (Row r : rows) {
      h.append(String.format(Locale.ROOT, "<tr><td>%s</td><td>%s</td><td>%s</td><td>%,d</td><td>%s</td><td>%s</td>"
          + "<td>%s</td><td>%s</td></tr>", escape(r.run()), escape(r.model()), escape(String.join(", ", r.layers())),
          r.params(), fmt(r.secondsPerEpoch(), "%.1f"), r.peakRssMb() < 0 ? "-" : r.peakRssMb(),
          fmt(r.bestValAccuracy(), "%.4f"), fmt(r.testAccuracy(), "%.4f")));
    }
    h.append("</table><h2>Learning curves</h2>");
    for (Row r : rows) {
      h.append("<h3>").append(escape(r.run())).append("</h3>");
      if (Files.isRegularFile(r.curves())) {
        h.append("<img alt=\"curves of ").append(escape(r.run())).append("\" src=\"data:image/png;base64,")
            .append(Base64.getEncoder().encodeToString(Files.readAllBytes(r.curves()))).append("\">");
      } else {
        h.append("<p>no curves.png</p>");
      }
    }
    return h.append("</body></html>\n").toString();
  }

  private static String fmt(double v, String pattern) {
    return Double.isNaN(v) ? "-" : String.format(Locale.ROOT, pattern, v);
  }

  private static String escape(String s) {
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
  }

  private static JsonArray readArray(Path p) {
    if (!Files.isRegularFile(p)) {
      return new JsonArray();
    }
    try {
      return JsonInput.parse(Files.readString(p)).getAsJsonArray();
    } catch (IOException | RuntimeException e) {
      throw new InputException(p + " is unreadable: expected the history sentigraph train wrote");
    }
  }

  private static JsonObject readObject(Path p) {
    try {
      return JsonInput.parse(Files.readString(p)).getAsJsonObject();
    } catch (IOException | RuntimeException e) {
      throw new InputException(p + " is unreadable: expected the metrics sentigraph train wrote");
    }
  }
}
