package dev.sentigraph.cli;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import dev.sentigraph.config.LayerConfig;
import dev.sentigraph.model.SequentialModel;
import dev.sentigraph.train.Preset;
import dev.sentigraph.train.Presets;
import java.io.PrintWriter;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code sentigraph presets}: every notebook experiment with its model, data and training settings. */
@Command(name = "presets", mixinStandardHelpOptions = true, description = "List the presets (the notebooks' experiments).")
final class PresetsCommand implements Callable<Integer> {
  @Mixin VerboseOption verbose;
  @Spec CommandSpec spec;

  @Option(names = "--json", description = "Print one JSON document.")
  boolean json;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    if (json) {
      JsonArray all = new JsonArray();
      for (Preset p : Presets.all()) {
        JsonObject o = new JsonObject();
        o.addProperty("name", p.name());
        o.addProperty("description", p.description());
        o.addProperty("params", SequentialModel.of(p.model()).paramCount());
        o.add("model", p.model().toJson());
        Gson gson = new Gson();
        JsonObject data = new JsonObject();
        data.addProperty("num_words", p.data().numWords());
        data.addProperty("seq_len", p.data().seqLen());
        data.addProperty("index_from", p.data().indexFrom());
        o.add("data", data);
        o.add("train", gson.toJsonTree(p.train()));
        all.add(o);
      }
      out.println(new GsonBuilder().setPrettyPrinting().create().toJson(all));
    } else {
      for (Preset p : Presets.all()) {
        SequentialModel m = SequentialModel.of(p.model());
        out.printf(Locale.ROOT, "%-16s %s%n", p.name(), p.description());
        StringBuilder layers = new StringBuilder();
        for (int i = 0; i < m.layers().size(); i++) {
          LayerConfig c = m.layers().get(i).config();
          layers.append(i == 0 ? "" : " -> ").append(c.className());
        }
        out.printf(Locale.ROOT, "%-16s layers: %s (%,d params)%n", "", layers, m.paramCount());
        out.printf(Locale.ROOT, "%-16s data: num_words %d, seq_len %d; train: %s lr %s, batch %d, %d epochs%n%n", "",
            p.data().numWords(), p.data().seqLen(), p.train().optimizer(), p.train().learningRate(),
            p.train().batchSize(), p.train().epochs());
      }
    }
    out.flush();
    return 0;
  }
}
