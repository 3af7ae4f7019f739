package dev.sentigraph.io;

import dev.sentigraph.error.InputException;
import java.io.IOException;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;

/**
 * Text files users hand over (reviews, token lists, CSV tables), decoded strictly as UTF-8: a byte sequence that
 * is not UTF-8, an unbalanced CSV quote or a header without a name is bad input naming the file and line, never
 * a decoder's or parser's bare message.
 */
public final class TextInput {
  /** A CSV table: its header names in order, its rows, and the line each row starts on. */
  public record Csv(List<String> header, List<CSVRecord> rows, List<Long> lines) {}

  private TextInput() {}

  /** The whole file as text. */
  public static String read(Path file) {
    byte[] bytes;
    try {
      bytes = Files.readAllBytes(file);
    } catch (NoSuchFileException e) {
      throw new InputException(file + " does not exist");
    } catch (IOException e) {
      throw new InputException("cannot read " + file + ": " + e.getMessage());
    }
    return decode(bytes, file.toString());
  }

  /** A file's bytes (e.g. an archive entry's) as text; {@code name} names it in errors. */
  public static String decode(byte[] bytes, String name) {
    CharsetDecoder utf8 = StandardCharsets.UTF_8.newDecoder()
        .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT);
    try {
      return utf8.decode(ByteBuffer.wrap(bytes)).toString();
    } catch (CharacterCodingException e) {
      throw new InputException(name + " line " + lineOfFirstBadByte(bytes)
          + " is not valid UTF-8: expected UTF-8 text");
    }
  }

  /** The file's lines ({@code \n} or {@code \r\n}), in order. */
  public static List<String> lines(Path file) {
    return read(file).lines().toList();
  }

  /**
   * A CSV file with a header row (RFC 4180, as Python's csv module writes it). {@code required} columns must be in
   * the header.
   */
  public static Csv csv(Path file, List<String> required) {
    String text = read(file);
    CSVFormat format = CSVFormat.DEFAULT.builder().setHeader().setSkipHeaderRecord(true).build();
    try (CSVParser parser = format.parse(new StringReader(text))) {
      List<String> header = parser.getHeaderNames();
      List<String> missing = required.stream().filter(c -> !header.contains(c)).toList();
      if (!missing.isEmpty()) {
        throw new InputException(file + " has columns " + header + ": expected a header with "
            + String.join(" and ", required.stream().map(c -> "'" + c + "'").toList()));
      }
      List<CSVRecord> rows = new ArrayList<>();
      List<Long> lines = new ArrayList<>();
      // the parser counts the line breaks it has read: a row starts on the line after the previous row's last
      long start = parser.getCurrentLineNumber() + 1;
      for (CSVRecord r : parser) {
        rows.add(r);
        lines.add(start);
        start = parser.getCurrentLineNumber() + 1;
      }
      return new Csv(header, rows, lines);
    } catch (IllegalArgumentException e) {
      // commons-csv's words for an empty or repeated header name
      throw new InputException(file + " line 1 has an unusable header (" + e.getMessage()
          + "): expected distinct, non-empty column names");
    } catch (IOException | UncheckedIOException | IllegalStateException e) {
      // an unbalanced quote runs to the end of the file; commons-csv names the line where it noticed
      throw new InputException(file + " is not valid CSV (" + firstLine(e) + "): expected quoted fields"
          + " to close their quotes");
    }
  }

  private static String firstLine(Exception e) {
    Throwable t = e instanceof UncheckedIOException u && u.getCause() != null ? u.getCause() : e;
    String m = t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
    return m.lines().findFirst().orElse(m);
  }

  /** 1-based line of the first byte sequence that is not UTF-8. */
  private static long lineOfFirstBadByte(byte[] bytes) {
    CharsetDecoder utf8 = StandardCharsets.UTF_8.newDecoder()
        .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT);
    long line = 1;
    int start = 0;
    for (int i = 0; i <= bytes.length; i++) {
      if (i == bytes.length || bytes[i] == '\n') {
        try {
          utf8.reset().decode(ByteBuffer.wrap(bytes, start, i - start));
        } catch (CharacterCodingException e) {
          return line;
        }
        line++;
        start = i + 1;
      }
    }
    return line - 1;
  }
}
