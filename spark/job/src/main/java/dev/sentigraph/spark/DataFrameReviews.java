package dev.sentigraph.spark;

import dev.sentigraph.InvalidInputException;
import dev.sentigraph.data.TextReviews;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;

/**
 * Labelled reviews from a Spark DataFrame source (Parquet, JSON lines, CSV with a header; any path Spark reads:
 * HDFS, S3, ...): the text and label columns, and {@code split} (train/test) when there is one. Spark reads the
 * files; the rows come to the driver, which encodes them as `sentigraph train` encodes a {@code .csv}/{@code .jsonl}
 * file (the same label and split rules).
 */
final class DataFrameReviews {
  static final String SPLIT = "split";

  private DataFrameReviews() {}

  static TextReviews read(SparkSession spark, String input, String format, String textColumn, String labelColumn) {
    JobInput.Kind kind = format != null ? ScoreJob.kind(format) : JobInput.detect(spark, input);
    if (kind == JobInput.Kind.TEXT) {
      throw new InvalidInputException("input " + input + " is a folder of .txt files, which carry no labels: give"
          + " Parquet, JSON lines or CSV with " + textColumn + " and " + labelColumn + " columns, or an aclImdb"
          + " folder as --data", "input");
    }
    Dataset<Row> df = JobInput.read(spark, input, kind, "id", textColumn);
    List<String> columns = Arrays.asList(df.columns());
    for (String c : List.of(textColumn, labelColumn)) {
      if (!columns.contains(c)) {
        throw new InvalidInputException("input " + input + " has no column '" + c + "': it has " + columns, "input");
      }
    }
    boolean split = columns.contains(SPLIT);
    Column[] select = {functions.col(textColumn).cast("string"), functions.col(labelColumn).cast("string"),
        split ? functions.col(SPLIT).cast("string") : functions.lit(null).cast("string")};
    List<String[]> rows = new ArrayList<>();
    long n = 0;
    for (Row r : df.select(select).collectAsList()) {
      n++;
      if (r.isNullAt(0) || r.isNullAt(1)) {
        throw new InvalidInputException("input " + input + " row " + n + ": " + (r.isNullAt(0) ? textColumn
            : labelColumn) + " is null: expected labelled text in every row", "input");
      }
      rows.add(new String[] {r.getString(0), r.getString(1), r.isNullAt(2) ? null : r.getString(2)});
    }
    return TextReviews.fromRows(input, rows);
  }
}
