package dev.sentigraph.plot;

import dev.sentigraph.io.AtomicFile;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import java.util.stream.IntStream;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.internal.chartpart.Chart;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * The PNG plots sentigraph draws (review-length histogram, training curves), in one style, written under a
 * temporary name and renamed into place.
 */
public final class PngCharts {
  static {
    System.setProperty("java.awt.headless", "true");
  }

  private PngCharts() {}

  /** One line per series over x = 1, 2, ... (epochs). */
  public static void lines(Path file, String title, String xLabel, String yLabel, Map<String, double[]> series)
      throws IOException {
    XYChart chart = new XYChartBuilder().width(800).height(500).title(title).xAxisTitle(xLabel).yAxisTitle(yLabel).build();
    chart.getStyler().setDecimalPattern("#0.###");
    series.forEach((name, ys) -> {
      double[] xs = IntStream.rangeClosed(1, ys.length).asDoubleStream().toArray();
      chart.addSeries(name, xs, ys).setMarker(SeriesMarkers.CIRCLE);
    });
    save(file, chart);
  }

  /** A histogram of {@code values} in {@code bins} equal bins from 0 to {@code max}; larger values fall in the last bin. */
  public static void histogram(Path file, String title, String xLabel, int[] values, int bins, int max)
      throws IOException {
    double width = Math.max(1, Math.ceil(max / (double) bins));
    double[] counts = new double[bins];
    for (int v : values) {
      counts[(int) Math.min(bins - 1, Math.floor(v / width))]++;
    }
    double[] centers = IntStream.range(0, bins).mapToDouble(i -> (i + 0.5) * width).toArray();
    CategoryChart chart = new CategoryChartBuilder().width(800).height(500).title(title).xAxisTitle(xLabel)
        .yAxisTitle("reviews").build();
    chart.getStyler().setLegendVisible(false);
    chart.getStyler().setAvailableSpaceFill(0.95);
    chart.getStyler().setXAxisLabelRotation(90);
    chart.getStyler().setDecimalPattern("#0");
    chart.addSeries("reviews", centers, counts);
    save(file, chart);
  }

  private static void save(Path file, Chart<?, ?> chart) throws IOException {
    AtomicFile.write(file, out -> BitmapEncoder.saveBitmap(chart, out, BitmapEncoder.BitmapFormat.PNG));
  }
}
