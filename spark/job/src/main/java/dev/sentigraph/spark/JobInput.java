package dev.sentigraph.spark;

import dev.sentigraph.InvalidInputException;
import java.io.IOException;
import java.util.Locale;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.LocatedFileStatus;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.RemoteIterator;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;

/**
 * Reads the job's input as rows with a text column: Parquet, JSON lines, CSV with a header, or a folder of .txt
 * files, subfolders included (one review each, id = the file name, the bytes kept for {@link RowText} to decode strictly). The kind
 * comes from the file's extension, or from the files in a folder.
 */
final class JobInput {
  enum Kind { PARQUET, JSON, CSV, TEXT }

  private JobInput() {}

  /**
   * What Spark counts a file as beside its bytes when packing files into partitions, for folders of .txt
   * files. Spark's default (4 MB) made partitions of 32 reviews out of a folder of 1-2 KB files, so every
   * inference batch held 32 reviews at most; at 8 KB a partition holds thousands and batches are full.
   */
  static final String TEXT_FILE_OPEN_COST = "8192";

  static Dataset<Row> read(SparkSession spark, String input, Kind kind, String idColumn, String textColumn) {
    if (kind == Kind.TEXT && !spark.conf().contains("spark.sql.files.openCostInBytes")) {
      spark.conf().set("spark.sql.files.openCostInBytes", TEXT_FILE_OPEN_COST);
    }
    return switch (kind) {
      case PARQUET -> spark.read().parquet(input);
      // Lines are read as text first, so bytes that are not UTF-8 become U+FFFD in the text (flagged by
      // RowText) instead of making the whole record, id included, a corrupt one in the JSON reader.
      case JSON -> spark.read().json(spark.read().textFile(input));
      // Reviews hold commas, quotes and line breaks: quoted fields may span lines.
      case CSV -> spark.read().option("header", "true").option("multiLine", "true").option("escape", "\"").csv(input);
      case TEXT -> spark.read().format("binaryFile").option("pathGlobFilter", "*.txt")
          .option("recursiveFileLookup", "true").load(input)
          .select(functions.regexp_extract(functions.col("path"), "[^/]+$", 0).as(idColumn),
              functions.col("content").as(textColumn));
    };
  }

  /** The kind of {@code input}: its extension, or for a folder the extension of the first data file under it. */
  static Kind detect(SparkSession spark, String input) {
    Path path = new Path(input);
    try {
      FileSystem fs = path.getFileSystem(spark.sparkContext().hadoopConfiguration());
      if (!fs.exists(path)) {
        throw new InvalidInputException("input " + input + " does not exist", "input");
      }
      if (!fs.getFileStatus(path).isDirectory()) {
        return byName(path.getName(), input);
      }
      RemoteIterator<LocatedFileStatus> files = fs.listFiles(path, true);
      while (files.hasNext()) {
        String name = files.next().getPath().getName();
        if (!name.startsWith("_") && !name.startsWith(".") && kindOf(name) != null) {
          return kindOf(name);
        }
      }
      throw new InvalidInputException("input folder " + input + " holds no .parquet, .json, .jsonl, .csv or .txt"
          + " files", "input");
    } catch (IOException e) {
      throw new InvalidInputException("cannot read input " + input + ": " + e.getMessage(), "input");
    }
  }

  private static Kind byName(String name, String input) {
    Kind k = kindOf(name);
    if (k == null) {
      throw new InvalidInputException("input " + input + " is not .parquet, .json, .jsonl, .csv or .txt: give"
          + " --input-format", "input");
    }
    return k;
  }

  private static Kind kindOf(String name) {
    String n = name.toLowerCase(Locale.ROOT);
    if (n.endsWith(".parquet")) {
      return Kind.PARQUET;
    }
    if (n.endsWith(".json") || n.endsWith(".jsonl")) {
      return Kind.JSON;
    }
    if (n.endsWith(".csv")) {
      return Kind.CSV;
    }
    return n.endsWith(".txt") ? Kind.TEXT : null;
  }
}
