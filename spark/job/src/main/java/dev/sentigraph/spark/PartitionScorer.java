package dev.sentigraph.spark;

import dev.sentigraph.Prediction;
import dev.sentigraph.Predictions;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import scala.jdk.javaapi.CollectionConverters;

/**
 * Scores one partition: its rows in batches of {@link ScoringConfig#batchSize()} through the executor's shared
 * model, each row coming out once with {@code probability}, {@code label} and {@code error} appended. Rows that
 * cannot be scored keep nulls and say why in {@code error}; they never fail the task.
 */
final class PartitionScorer implements MapPartitionsFunction<Row, Row> {
  private final ScoringConfig config;
  private final int textColumn;

  PartitionScorer(ScoringConfig config, int textColumn) {
    this.config = config;
    this.textColumn = textColumn;
  }

  @Override
  public Iterator<Row> call(Iterator<Row> rows) {
    return new Iterator<>() {
      private final List<Row> ready = new ArrayList<>();
      private int next;

      @Override
      public boolean hasNext() {
        if (next < ready.size()) {
          return true;
        }
        ready.clear();
        next = 0;
        if (rows.hasNext()) {
          scoreBatch(rows, ready);
        }
        return !ready.isEmpty();
      }

      @Override
      public Row next() {
        if (!hasNext()) {
          throw new NoSuchElementException();
        }
        return ready.get(next++);
      }
    };
  }

  /** Takes up to a batch of rows from {@code rows} and adds them, scored, to {@code out}. */
  private void scoreBatch(Iterator<Row> rows, List<Row> out) {
    List<Row> batch = new ArrayList<>(config.batchSize());
    List<RowText> texts = new ArrayList<>(config.batchSize());
    List<String> valid = new ArrayList<>(config.batchSize());
    while (batch.size() < config.batchSize() && rows.hasNext()) {
      Row row = rows.next();
      RowText t = RowText.of(row.get(textColumn));
      batch.add(row);
      texts.add(t);
      if (t.error() == null) {
        valid.add(t.text());
      }
    }
    Predictions scored = valid.isEmpty() ? null : ExecutorModels.get(config).predict(valid);
    List<Predictions> each = scored == null || !config.allOutputs() ? List.of()
        : scored.outputs().stream().map(o -> scored.output(o.name())).toList();
    int k = 0;
    for (int i = 0; i < batch.size(); i++) {
      RowText t = texts.get(i);
      out.add(t.error() == null ? withScore(batch.get(i), scored.get(k), each, k++, null)
          : withScore(batch.get(i), null, each, -1, t.error()));
    }
  }

  /** The row with the columns {@link SentimentScorer#transformSchema} adds, in its order. */
  private Row withScore(Row row, Prediction p, List<Predictions> each, int index, String error) {
    List<Object> values = new ArrayList<>(row.length() + 6);
    for (int i = 0; i < row.length(); i++) {
      values.add(row.get(i));
    }
    values.add(p == null ? null : p.probability());
    values.add(p == null ? null : p.label());
    values.add(p == null ? null : classProbabilities(p));
    if (config.classNames() != null) {
      values.add(p == null ? null : p.className());
    }
    if (config.allOutputs()) {
      Map<String, float[]> byName = new LinkedHashMap<>();
      each.forEach(o -> byName.put(o.output().name(), o.values(index)));
      values.add(p == null ? null : CollectionConverters.asScala(byName));
    }
    values.add(error);
    return RowFactory.create(values.toArray());
  }

  /** Every class's probability, as Spark ML's classifiers give them: a binary model's [1 - p, p]. */
  private static double[] classProbabilities(Prediction p) {
    return p.multiClass() ? p.classProbabilities() : new double[] {1 - p.probability(), p.probability()};
  }

}
