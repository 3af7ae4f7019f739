package dev.sentigraph.spark;

import dev.sentigraph.Prediction;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;

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
    List<Prediction> scored = valid.isEmpty() ? List.of() : ExecutorModels.get(config).predict(valid);
    int k = 0;
    for (int i = 0; i < batch.size(); i++) {
      RowText t = texts.get(i);
      out.add(t.error() == null ? withScore(batch.get(i), scored.get(k++), null) : withScore(batch.get(i), null, t.error()));
    }
  }

  private static Row withScore(Row row, Prediction p, String error) {
    Object[] values = new Object[row.length() + 3];
    for (int i = 0; i < row.length(); i++) {
      values[i] = row.get(i);
    }
    values[row.length()] = p == null ? null : p.probability();
    values[row.length() + 1] = p == null ? null : p.label();
    values[row.length() + 2] = error;
    return RowFactory.create(values);
  }

}
