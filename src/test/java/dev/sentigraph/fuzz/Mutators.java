package dev.sentigraph.fuzz;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.sentigraph.TestFolders;
import dev.sentigraph.data.NumpyWriter;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;
import org.tensorflow.proto.AttrValue;
import org.tensorflow.proto.DataType;
import org.tensorflow.proto.FunctionDef;
import org.tensorflow.proto.GraphDef;
import org.tensorflow.proto.NodeDef;
import org.tensorflow.proto.SavedModel;
import org.tensorflow.proto.SignatureDef;
import org.tensorflow.proto.TensorInfo;

/**
 * Makes one mutated input of each kind from the repository's own fixtures ({@code savedmodels/},
 * {@code src/test/resources/fixtures}), in a case folder, with the CLI call that reads it. Every choice comes from
 * the given Random, so a seed reproduces the case.
 */
final class Mutators {
  static final List<String> KINDS = List.of("savedmodel", "keras", "npz", "config", "predict");
  private static final List<String> FAMILIES = List.of("cnn", "gru", "lstm", "mean", "simple_rnn");
  private static final List<DataType> TYPES = List.of(DataType.DT_FLOAT, DataType.DT_INT32, DataType.DT_INT64,
      DataType.DT_DOUBLE, DataType.DT_STRING, DataType.DT_BOOL, DataType.DT_HALF, DataType.DT_RESOURCE, DataType.DT_UINT8);

  private final Path repo;

  Mutators(Path repo) {
    this.repo = repo;
  }

  FuzzCase make(String kind, Random r, Path dir) throws IOException {
    Files.createDirectories(dir);
    return switch (kind) {
      case "savedmodel" -> savedModel(r, dir);
      case "keras" -> keras(r, dir);
      case "npz" -> npz(r, dir);
      case "config" -> config(r, dir);
      case "predict" -> predict(r, dir);
      default -> throw new IllegalArgumentException(kind);
    };
  }

  private String family(Random r) {
    return FAMILIES.get(r.nextInt(FAMILIES.size()));
  }

  /** The golden token rows of a family, one JSON array per line. */
  private Path tokens(String family, Path dir) throws IOException {
    JsonObject golden = JsonParser.parseString(Files.readString(repo.resolve("savedmodels/" + family + "/golden.json"))).getAsJsonObject();
    StringBuilder b = new StringBuilder();
    golden.getAsJsonArray("tokens").forEach(t -> b.append(t).append('\n'));
    Path f = dir.resolve("tokens.txt");
    Files.writeString(f, b.toString());
    return f;
  }

  // ---- SavedModels: protobuf-level and byte-level damage ----

  private FuzzCase savedModel(Random r, Path dir) throws IOException {
    String family = family(r);
    String style = List.of("export", "keras2", "tfsave").get(r.nextInt(3));
    Path model = dir.resolve("model");
    TestFolders.copyTree(repo.resolve("savedmodels/" + family + "/" + style), model);
    Path pb = model.resolve("saved_model.pb");
    int pick = r.nextInt(100);
    String mutation;
    boolean mustRefuse = false;
    if (pick < 60) {
      SavedModel.Builder sm = SavedModel.parseFrom(Files.readAllBytes(pb)).toBuilder();
      String[] what = new String[1];
      mustRefuse = protoMutation(sm, r, what);
      mutation = "proto: " + what[0];
      Files.write(pb, sm.build().toByteArray());
    } else if (pick < 80) {
      byte[] b = Files.readAllBytes(pb);
      mutation = flipBytes(b, r);
      Files.write(pb, b);
      mutation = "saved_model.pb bytes: " + mutation;
    } else if (pick < 85) {
      byte[] b = Files.readAllBytes(pb);
      int cut = r.nextInt(b.length);
      Files.write(pb, Arrays.copyOf(b, cut));
      mutation = "saved_model.pb cut at " + cut + " of " + b.length;
      mustRefuse = true;
    } else if (pick < 88) {
      Files.write(pb, new byte[0]);
      mutation = "saved_model.pb empty";
      mustRefuse = true;
    } else {
      Path vars = model.resolve("variables");
      List<Path> files;
      try (Stream<Path> s = Files.list(vars)) {
        files = s.sorted().toList();
      }
      Path f = files.get(r.nextInt(files.size()));
      byte[] b = Files.readAllBytes(f);
      if (r.nextBoolean()) {
        mutation = "variables/" + f.getFileName() + " bytes: " + flipBytes(b, r);
        Files.write(f, b);
      } else {
        int cut = r.nextInt(Math.max(1, b.length));
        Files.write(f, Arrays.copyOf(b, cut));
        mutation = "variables/" + f.getFileName() + " cut at " + cut + " of " + b.length;
        mustRefuse = true; // by predict; inspect reads only saved_model.pb, as saved_model_cli show does
      }
    }
    mutation = family + "/" + style + " " + mutation;
    if (r.nextInt(5) == 0) {
      return new FuzzCase("savedmodel", mutation, List.of("inspect", "{case}/model"),
          mustRefuse && !mutation.contains("variables/"), null);
    }
    tokens(family, dir);
    return new FuzzCase("savedmodel", mutation,
        List.of("predict", "--model", "{case}/model", "--tokens", "{case}/tokens.txt", "--json"), mustRefuse, null);
  }

  /** One change to a node (graph or function) or a signature; returns whether the result must be refused. */
  private static boolean protoMutation(SavedModel.Builder sm, Random r, String[] what) {
    GraphDef.Builder g = sm.getMetaGraphsBuilder(0).getGraphDefBuilder();
    List<NodeDef.Builder> nodes = new ArrayList<>();
    List<String> where = new ArrayList<>();
    for (int i = 0; i < g.getNodeCount(); i++) {
      nodes.add(g.getNodeBuilder(i));
      where.add("graph");
    }
    for (int f = 0; f < g.getLibraryBuilder().getFunctionCount(); f++) {
      FunctionDef.Builder fn = g.getLibraryBuilder().getFunctionBuilder(f);
      for (int i = 0; i < fn.getNodeDefCount(); i++) {
        nodes.add(fn.getNodeDefBuilder(i));
        where.add(fn.getSignature().getName());
      }
    }
    int op = r.nextInt(10);
    if (op == 0) {
      // the abort: a Const whose dtype attribute disagrees with the tensor it holds
      List<Integer> consts = new ArrayList<>();
      for (int i = 0; i < nodes.size(); i++) {
        if (nodes.get(i).getOp().equals("Const")) {
          consts.add(i);
        }
      }
      int i = consts.get(r.nextInt(consts.size()));
      NodeDef.Builder n = nodes.get(i);
      DataType held = n.getAttrOrThrow("value").getTensor().getDtype();
      DataType other = TYPES.stream().filter(t -> t != held).toList().get(r.nextInt(TYPES.size() - 1));
      n.putAttr("dtype", AttrValue.newBuilder().setType(other).build());
      what[0] = "Const " + where.get(i) + "/" + n.getName() + " dtype " + held + " -> " + other;
      return true;
    }
    if (op == 1) {
      SignatureDef.Builder sig = sm.getMetaGraphsBuilder(0).getSignatureDefOrThrow("serving_default").toBuilder();
      String key = sig.getInputsMap().keySet().iterator().next();
      TensorInfo in = sig.getInputsOrThrow(key);
      TensorInfo changed = r.nextBoolean() ? in.toBuilder().setDtype(TYPES.get(r.nextInt(TYPES.size()))).build()
          : in.toBuilder().setName(r.nextBoolean() ? "nowhere:0" : in.getName() + "7").build();
      sig.putInputs(key, changed);
      sm.getMetaGraphsBuilder(0).putSignatureDef("serving_default", sig.build());
      what[0] = "signature input " + key + " -> " + changed.getName() + " " + changed.getDtype();
      return false;
    }
    int i = r.nextInt(nodes.size());
    NodeDef.Builder n = nodes.get(i);
    String at = where.get(i) + "/" + n.getName() + " (" + n.getOp() + ")";
    List<String> attrs = new ArrayList<>(n.getAttrMap().keySet());
    java.util.Collections.sort(attrs);
    switch (op) {
      case 2, 3 -> {
        List<String> typed = attrs.stream().filter(a -> n.getAttrOrThrow(a).hasType()).toList();
        if (typed.isEmpty()) {
          n.setOp("NoSuchOp");
          what[0] = at + " op -> NoSuchOp";
        } else {
          String a = typed.get(r.nextInt(typed.size()));
          DataType t = TYPES.get(r.nextInt(TYPES.size()));
          n.putAttr(a, AttrValue.newBuilder().setType(t).build());
          what[0] = at + " attr " + a + " -> " + t;
        }
      }
      case 4 -> {
        if (attrs.isEmpty()) {
          n.addInput("ghost");
          what[0] = at + " + input ghost";
        } else {
          String a = attrs.get(r.nextInt(attrs.size()));
          n.removeAttr(a);
          what[0] = at + " - attr " + a;
        }
      }
      case 5 -> {
        if (n.getInputCount() > 0) {
          int k = r.nextInt(n.getInputCount());
          List<String> inputs = new ArrayList<>(n.getInputList());
          inputs.remove(k);
          n.clearInput().addAllInput(inputs);
          what[0] = at + " - input " + k;
        } else {
          n.addInput("ghost");
          what[0] = at + " + input ghost";
        }
      }
      case 6 -> {
        if (n.getInputCount() > 0) {
          n.setInput(r.nextInt(n.getInputCount()), "no_such_node:0");
          what[0] = at + " input -> no_such_node";
        } else {
          n.setOp("NoSuchOp");
          what[0] = at + " op -> NoSuchOp";
        }
      }
      case 7 -> {
        List<String> ints = attrs.stream().filter(a -> n.getAttrOrThrow(a).getValueCase() == AttrValue.ValueCase.I).toList();
        if (ints.isEmpty()) {
          n.putAttr("_fuzz", AttrValue.newBuilder().setI(1).build());
          what[0] = at + " + attr _fuzz";
        } else {
          String a = ints.get(r.nextInt(ints.size()));
          long v = List.of(-1L, 0L, 1L << 40, Long.MAX_VALUE, 1_000_000_000L).get(r.nextInt(5));
          n.putAttr(a, AttrValue.newBuilder().setI(v).build());
          what[0] = at + " attr " + a + " -> " + v;
        }
      }
      case 8 -> {
        List<String> tensors = attrs.stream().filter(a -> n.getAttrOrThrow(a).hasTensor()).toList();
        if (tensors.isEmpty()) {
          n.putAttr("T", AttrValue.newBuilder().setS(com.google.protobuf.ByteString.copyFromUtf8("x")).build());
          what[0] = at + " attr T -> string";
        } else {
          String a = tensors.get(r.nextInt(tensors.size()));
          var t = n.getAttrOrThrow(a).getTensor().toBuilder();
          if (!t.getTensorContent().isEmpty() && r.nextBoolean()) {
            t.setTensorContent(t.getTensorContent().substring(0, r.nextInt(t.getTensorContent().size())));
            what[0] = at + " " + a + " tensor_content cut";
          } else {
            t.getTensorShapeBuilder().addDim(org.tensorflow.proto.TensorShapeProto.Dim.newBuilder().setSize(
                List.of(-5L, 3L, 1L << 33).get(r.nextInt(3))));
            what[0] = at + " " + a + " shape " + t.getTensorShape().getDimList().stream().map(d -> d.getSize()).toList();
          }
          n.putAttr(a, AttrValue.newBuilder().setTensor(t).build());
        }
      }
      default -> {
        n.setOp(List.of("Identity", "NoOp", "Abort", "Const", "Placeholder").get(r.nextInt(5)));
        what[0] = at + " op -> " + n.getOp();
      }
    }
    return false;
  }

  // ---- .keras archives: config, h5 and zip damage ----

  private FuzzCase keras(Random r, Path dir) throws IOException {
    String family = family(r);
    Map<String, byte[]> entries = unzip(repo.resolve("savedmodels/" + family + "/model.keras"));
    Path file = dir.resolve("model.keras");
    int pick = r.nextInt(100);
    String mutation;
    boolean mustRefuse = false;
    if (pick < 40) {
      JsonElement config = JsonParser.parseString(new String(entries.get("config.json"), StandardCharsets.UTF_8));
      List<HostileJson.Slot> slots = HostileJson.slots(config);
      HostileJson.Slot slot = slots.get(r.nextInt(slots.size()));
      JsonElement v = HostileJson.value(r);
      slot.replace().accept(v);
      mustRefuse = HostileJson.isHugeSize(v) && List.of("input_dim", "output_dim", "units", "filters", "kernel_size")
          .contains(slot.key());
      mutation = "config.json '" + slot.key() + "' -> " + shortText(v);
      String text = config.toString();
      if (r.nextInt(4) == 0) {
        text = HostileJson.deepen(text, "true");
        mutation += ", 'trainable' nested " + HostileJson.DEEP + " deep";
        mustRefuse = true;
      }
      entries.put("config.json", text.getBytes(StandardCharsets.UTF_8));
      Files.write(file, zip(entries));
    } else if (pick < 65) {
      byte[] h5 = entries.get("model.weights.h5");
      if (r.nextBoolean()) {
        mutation = "model.weights.h5 bytes: " + flipBytes(h5, r);
      } else {
        int cut = h5.length - 1 - r.nextInt(h5.length - 1);
        entries.put("model.weights.h5", Arrays.copyOf(h5, cut));
        mutation = "model.weights.h5 cut at " + cut + " of " + h5.length;
        mustRefuse = true;
      }
      Files.write(file, zip(entries));
    } else if (pick < 80) {
      byte[] z = zip(entries);
      mutation = "zip bytes: " + flipBytes(z, r);
      Files.write(file, z);
    } else if (pick < 88) {
      byte[] z = zip(entries);
      int cut = r.nextInt(z.length);
      Files.write(file, Arrays.copyOf(z, cut));
      mutation = "zip cut at " + cut + " of " + z.length;
      mustRefuse = true;
    } else {
      String gone = List.of("config.json", "model.weights.h5").get(r.nextInt(2));
      entries.remove(gone);
      Files.write(file, zip(entries));
      mutation = "no " + gone;
      mustRefuse = true;
    }
    mutation = family + " " + mutation;
    if (r.nextInt(3) == 0) {
      return new FuzzCase("keras", mutation, List.of("inspect", "{case}/model.keras"), mustRefuse, null);
    }
    tokens(family, dir);
    return new FuzzCase("keras", mutation,
        List.of("predict", "--model", "{case}/model.keras", "--tokens", "{case}/tokens.txt", "--json"), mustRefuse, null);
  }

  // ---- imdb.npz: pickles, labels, headers, bytes ----

  private static List<Object> reviews(Random r, int n) {
    List<Object> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      List<Object> ids = new ArrayList<>();
      for (int t = 1 + r.nextInt(12); t > 0; t--) {
        ids.add(1 + r.nextInt(30));
      }
      out.add(ids);
    }
    return out;
  }

  private static long[] labels(Random r, int n) {
    long[] y = new long[n];
    for (int i = 0; i < n; i++) {
      y[i] = r.nextInt(2);
    }
    return y;
  }

  private FuzzCase npz(Random r, Path dir) throws IOException {
    int nTrain = 3 + r.nextInt(8);
    int nTest = 2 + r.nextInt(5);
    List<Object> xTrain = reviews(r, nTrain);
    long[] yTrain = labels(r, nTrain);
    List<Object> xTest = reviews(r, nTest);
    long[] yTest = labels(r, nTest);
    Map<String, byte[]> members = new LinkedHashMap<>();
    members.put("x_train", NumpyWriter.objectArray(xTrain));
    members.put("y_train", NumpyWriter.int64Array(yTrain));
    members.put("x_test", NumpyWriter.objectArray(xTest));
    members.put("y_test", NumpyWriter.int64Array(yTest));
    int pick = r.nextInt(10);
    String mutation;
    boolean mustRefuse = true;
    switch (pick) {
      case 0, 1 -> {
        Object bad = List.<Object>of("word", true, false, 2.5, -3, new java.math.BigInteger("9223372036854775808"),
            List.of(1, 2), new java.math.BigInteger("-9223372036854775809"), "").get(r.nextInt(9));
        @SuppressWarnings("unchecked")
        List<Object> review = (List<Object>) xTrain.get(r.nextInt(nTrain));
        review.set(r.nextInt(review.size()), bad);
        members.put("x_train", NumpyWriter.objectArray(xTrain));
        mutation = "review item -> " + bad;
      }
      case 2 -> {
        Object bad = List.<Object>of("text", 7, true).get(r.nextInt(3));
        xTest.set(r.nextInt(nTest), bad);
        if (r.nextBoolean()) {
          xTest.set(0, null);
        }
        members.put("x_test", NumpyWriter.objectArray(xTest));
        mutation = "review -> " + bad;
      }
      case 3 -> {
        long label = List.of(2L, -1L, 16655L, Long.MAX_VALUE, 1L << 40).get(r.nextInt(5));
        yTrain[r.nextInt(nTrain)] = label;
        members.put("y_train", NumpyWriter.int64Array(yTrain));
        mutation = "label -> " + label;
      }
      case 4 -> {
        String shape = List.of(nTrain + 5 + ",", "-1,", "99999999999999999999,", "2, " + nTrain, nTrain + ", 2", "4611686018427387904,")
            .get(r.nextInt(6));
        boolean objects = r.nextBoolean();
        members.put(objects ? "x_train" : "y_train", objects ? NumpyWriter.npy("|O", shape, NumpyWriter.pickle(xTrain))
            : NumpyWriter.npy("<i8", shape, NumpyWriter.int64s(yTrain)));
        mutation = (objects ? "x_train" : "y_train") + " header shape (" + shape + ")";
      }
      case 5 -> {
        byte[] npy = members.get("x_test").clone();
        int at = 8 + r.nextInt(2);
        npy[at] = (byte) (r.nextBoolean() ? 0xff : 0x7f);
        members.put("x_test", npy);
        mutation = "x_test header length byte " + at;
      }
      case 6 -> {
        byte[] pickle = NumpyWriter.pickle(xTrain);
        String cutOrFlip = flipBytes(pickle, r);
        members.put("x_train", NumpyWriter.npy("|O", nTrain + ",", pickle));
        mutation = "x_train pickle bytes: " + cutOrFlip;
        mustRefuse = false;
      }
      case 7 -> {
        String descr = List.of("<f8", ">i8", "<i2", "|O", "<U5").get(r.nextInt(5));
        members.put("y_test", NumpyWriter.npy(descr, nTest + ",", NumpyWriter.int64s(yTest)));
        mutation = "y_test descr " + descr;
        mustRefuse = !descr.equals("<i2"); // <i2 reads the first bytes of each int64: odd but well-formed
      }
      case 8 -> {
        List<Object> deep = new ArrayList<>(xTrain);
        Object nested = List.of(1);
        for (int d = 0; d < 3; d++) {
          nested = List.of(nested);
        }
        deep.set(0, nested);
        members.put("x_train", NumpyWriter.objectArray(deep));
        mutation = "a review of nested lists (a 2-d review array)";
      }
      default -> {
        byte[] z = NumpyWriter.npz(members);
        mutation = "npz bytes: " + flipBytes(z, r);
        Files.write(dir.resolve("reviews.npz"), z);
        return new FuzzCase("npz", mutation, List.of("data", "--data", "{case}/reviews.npz", "--json"), false, null);
      }
    }
    Files.write(dir.resolve("reviews.npz"), NumpyWriter.npz(members));
    return new FuzzCase("npz", mutation, List.of("data", "--data", "{case}/reviews.npz", "--json"), mustRefuse, null);
  }

  // ---- Keras model configs: summary and a one-epoch train on tiny data ----

  private FuzzCase config(Random r, Path dir) throws IOException {
    String family = family(r);
    Map<String, byte[]> entries = unzip(repo.resolve("savedmodels/" + family + "/model.keras"));
    JsonElement config = JsonParser.parseString(new String(entries.get("config.json"), StandardCharsets.UTF_8));
    List<HostileJson.Slot> slots = HostileJson.slots(config);
    HostileJson.Slot slot = slots.get(r.nextInt(slots.size()));
    JsonElement v = HostileJson.value(r);
    slot.replace().accept(v);
    boolean huge = HostileJson.isHugeSize(v) && List.of("input_dim", "output_dim", "units", "filters", "kernel_size")
        .contains(slot.key());
    String mutation = family + " '" + slot.key() + "' -> " + shortText(v);
    String text = config.toString();
    boolean deep = r.nextInt(5) == 0;
    if (deep) {
      text = HostileJson.deepen(text, "\"sigmoid\"");
      mutation += ", sigmoid nested " + HostileJson.DEEP + " deep";
    }
    Files.writeString(dir.resolve("config.json"), text);
    if (r.nextBoolean()) {
      return new FuzzCase("config", mutation, List.of("summary", "--config", "{case}/config.json"), deep, null);
    }
    writeTinyImdb(dir.resolve("data"));
    return new FuzzCase("config", mutation, List.of("train", "--config", "{case}/config.json", "--data",
        "{case}/data/reviews.npz", "--epochs", "1", "--batch-size", "4", "--num-words", "60", "--out", "{case}/run"),
        deep || huge, null);
  }

  private static void writeTinyImdb(Path dir) throws IOException {
    Files.createDirectories(dir);
    Random r = new Random(7);
    Files.write(dir.resolve("reviews.npz"), NumpyWriter.imdb(reviews(r, 16), labels(r, 16), reviews(r, 8), labels(r, 8)));
  }

  // ---- predict inputs: text lines, .jsonl, .csv, --tokens ----

  private FuzzCase predict(Random r, Path dir) throws IOException {
    List<String> model = List.of("--model", "savedmodels/mean/model.keras", "--word-index",
        "src/test/resources/fixtures/tiny_imdb/imdb_word_index.json");
    int pick = r.nextInt(12);
    List<String> args = new ArrayList<>(List.of("predict"));
    args.addAll(model);
    String mutation;
    boolean mustRefuse = true;
    Integer lines = null;
    switch (pick) {
      case 0 -> {
        byte[] bad = {'o', 'k', '\n', 'b', 'a', 'd', (byte) (0x80 + r.nextInt(0x40)), (byte) 0xC3, '\n'};
        String ext = List.of(".txt", ".jsonl", ".csv").get(r.nextInt(3));
        byte[] body = ext.equals(".csv") ? concat("text\n".getBytes(StandardCharsets.UTF_8), bad)
            : ext.equals(".jsonl") ? "{\"text\": \"a \u00ff\"}\n{\"text\": \"\u00c3(\"}\n".getBytes(StandardCharsets.ISO_8859_1) : bad;
        Files.write(dir.resolve("in" + ext), body);
        args.addAll(List.of("--input", "{case}/in" + ext));
        mutation = "invalid UTF-8 in " + ext;
      }
      case 1 -> {
        Files.writeString(dir.resolve("in.csv"), r.nextBoolean() ? "text,label\n\"great film,1\nbad,0\n" : "text,,x\ngood,1,2\n");
        args.addAll(List.of("--input", "{case}/in.csv"));
        mutation = "csv with an unbalanced quote or an empty header name";
      }
      case 2 -> {
        String deep = HostileJson.deepen("{\"text\": X}", "X");
        Files.writeString(dir.resolve("in.jsonl"), deep + "\n{\"text\": \"fine film\"}\n");
        args.addAll(List.of("--input", "{case}/in.jsonl"));
        mutation = "jsonl text nested " + HostileJson.DEEP + " deep";
      }
      case 3 -> {
        String v = List.of("14.5", "\"14\"", "9223372036854775808", "-4", "1e1", "null", "true", "[3]").get(r.nextInt(8));
        Files.writeString(dir.resolve("t.txt"), "[1, 4, " + v + "]\n");
        args.addAll(List.of("--tokens", "{case}/t.txt"));
        mutation = "--tokens value " + v;
      }
      case 4 -> {
        int id = List.of(60, 61, 5000, Integer.MAX_VALUE).get(r.nextInt(4));
        Files.writeString(dir.resolve("t.txt"), "[1, 4, " + id + "]\n");
        args.addAll(List.of("--tokens", "{case}/t.txt"));
        mutation = "--tokens id " + id + " beyond a 60-word vocabulary";
      }
      case 5 -> {
        String ext = List.of(".txt", ".jsonl", ".csv").get(r.nextInt(3));
        Files.writeString(dir.resolve("in" + ext), ext.equals(".csv") ? "text\n" : r.nextBoolean() ? "" : "\n \n");
        args.addAll(List.of("--input", "{case}/in" + ext));
        mutation = "no reviews in " + ext;
      }
      case 6 -> {
        Files.writeString(dir.resolve("t.txt"), HostileJson.deepen("X", "X") + "\n");
        args.addAll(List.of("--tokens", "{case}/t.txt"));
        mutation = "--tokens line nested " + HostileJson.DEEP + " deep";
      }
      case 7, 8 -> {
        String text = r.nextBoolean() ? "a great\nfilm" : "bad\r\nplot\nand more";
        JsonObject o = new JsonObject();
        o.addProperty("text", text);
        Files.writeString(dir.resolve("in.jsonl"), o + "\n{\"text\": \"fine\"}\n");
        args.addAll(List.of("--input", "{case}/in.jsonl"));
        mutation = "review text with a newline (plain output)";
        mustRefuse = false;
        lines = 2;
      }
      case 9 -> {
        String v = List.of("{\"text\": {\"a\": 1}}", "{\"text\": [\"x\"]}", "{\"text\": null}", "[]", "\"just text\"").get(r.nextInt(5));
        Files.writeString(dir.resolve("in.jsonl"), v + "\n");
        args.addAll(List.of("--input", "{case}/in.jsonl"));
        mutation = "jsonl line " + v;
      }
      default -> {
        byte[] body = "{\"text\": \"a great film\"}\n{\"text\": \"dull plot\"}\n[1, 2, 3]\n".getBytes(StandardCharsets.UTF_8);
        mutation = "bytes: " + flipBytes(body, r);
        boolean tokensFile = r.nextBoolean();
        Files.write(dir.resolve(tokensFile ? "t.txt" : "in.jsonl"), body);
        args.addAll(tokensFile ? List.of("--tokens", "{case}/t.txt") : List.of("--input", "{case}/in.jsonl"));
        mutation = (tokensFile ? "--tokens " : "--input .jsonl ") + mutation;
        mustRefuse = false;
      }
    }
    return new FuzzCase("predict", mutation, args, mustRefuse, lines);
  }

  // ---- helpers ----

  /** Flips 1-8 random bytes (or sets them to 0x00/0xff) and says which. */
  static String flipBytes(byte[] b, Random r) {
    List<Integer> at = new ArrayList<>();
    for (int n = 1 + r.nextInt(8); n > 0; n--) {
      int i = r.nextInt(b.length);
      b[i] = switch (r.nextInt(3)) {
        case 0 -> (byte) (b[i] ^ (1 << r.nextInt(8)));
        case 1 -> (byte) 0xff;
        default -> (byte) 0;
      };
      at.add(i);
    }
    return "at " + at;
  }

  private static String shortText(JsonElement v) {
    String s = String.valueOf(v);
    return s.length() > 40 ? s.substring(0, 37) + "..." : s;
  }

  private static byte[] concat(byte[] a, byte[] b) {
    byte[] out = Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }

  static Map<String, byte[]> unzip(Path file) throws IOException {
    Map<String, byte[]> out = new LinkedHashMap<>();
    try (ZipFile z = new ZipFile(file.toFile())) {
      for (ZipEntry e : java.util.Collections.list(z.entries())) {
        out.put(e.getName(), z.getInputStream(e).readAllBytes());
      }
    }
    return out;
  }

  static byte[] zip(Map<String, byte[]> entries) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ZipOutputStream z = new ZipOutputStream(bytes)) {
      for (Map.Entry<String, byte[]> e : entries.entrySet()) {
        z.putNextEntry(new ZipEntry(e.getKey()));
        z.write(e.getValue());
        z.closeEntry();
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return bytes.toByteArray();
  }
}
