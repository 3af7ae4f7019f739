package dev.sentigraph.model;

import dev.sentigraph.layers.Layer;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** Keras 3's {@code model.summary()} table: layer, output shape, parameters, then the totals. */
public final class ModelSummary {
  private ModelSummary() {}

  public static String render(SequentialModel model) {
    List<String[]> rows = new ArrayList<>();
    for (int i = 0; i < model.layers().size(); i++) {
      Layer layer = model.layers().get(i);
      rows.add(new String[] {layer.name() + " (" + layer.className() + ")", Layer.shape(model.outputShape(i)),
          String.format(Locale.ROOT, "%,d", model.paramCount(i))});
    }
    int[] width = {31, 22, 13};
    for (String[] r : rows) {
      for (int c = 0; c < 3; c++) {
        width[c] = Math.max(width[c], r[c].length());
      }
    }
    StringBuilder out = new StringBuilder();
    out.append("Model: \"").append(model.config().name()).append("\"\n");
    out.append(line('┏', '━', '┳', '┓', width));
    out.append(row('┃', new String[] {"Layer (type)", "Output Shape", "Param #"}, width));
    out.append(line('┡', '━', '╇', '┩', width));
    for (int i = 0; i < rows.size(); i++) {
      out.append(row('│', rows.get(i), width));
      out.append(i < rows.size() - 1 ? line('├', '─', '┼', '┤', width) : line('└', '─', '┴', '┘', width));
    }
    long total = model.paramCount();
    long trainable = model.trainableParamCount();
    out.append(String.format(Locale.ROOT, " Total params: %,d (%s)%n", total, bytes(total * 4)));
    out.append(String.format(Locale.ROOT, " Trainable params: %,d (%s)%n", trainable, bytes(trainable * 4)));
    out.append(String.format(Locale.ROOT, " Non-trainable params: %,d (%s)%n", total - trainable, bytes((total - trainable) * 4)));
    return out.toString();
  }

  /** Keras' readable_memory_size: 1024-based units with two decimals. */
  static String bytes(long n) {
    String[] units = {"B", "KB", "MB", "GB"};
    double v = n;
    int u = 0;
    while (v >= 1024 && u < units.length - 1) {
      v /= 1024;
      u++;
    }
    return String.format(Locale.ROOT, "%.2f %s", v, units[u]);
  }

  private static String line(char left, char fill, char mid, char right, int[] width) {
    StringBuilder s = new StringBuilder().append(left);
    for (int c = 0; c < width.length; c++) {
      s.append(String.valueOf(fill).repeat(width[c] + 2)).append(c < width.length - 1 ? mid : right);
    }
    return s.append('\n').toString();
  }

  private static String row(char bar, String[] cells, int[] width) {
    StringBuilder s = new StringBuilder().append(bar);
    for (int c = 0; c < cells.length; c++) {
      String cell = c == 2 ? " ".repeat(width[c] - cells[c].length()) + cells[c] : cells[c] + " ".repeat(width[c] - cells[c].length());
      s.append(' ').append(cell).append(' ').append(bar);
    }
    return s.append('\n').toString();
  }
}
