package dev.sentigraph.data;

import com.google.gson.Gson;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import dev.sentigraph.error.InputException;
import dev.sentigraph.io.AtomicFile;
import dev.sentigraph.io.JsonInput;
import dev.sentigraph.io.TextInput;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Word to frequency rank (1 = most frequent), as {@code imdb.get_word_index()} returns it. Token ids are
 * ranks plus {@code index_from}; ids 0, 1, 2 are padding, start and OOV.
 */
public final class WordIndex {
  private final Map<String, Integer> ranks;
  /** Rank to word, sorted; a map because a hostile index may hold a rank near 2^30 (an array would be gigabytes). */
  private final java.util.TreeMap<Integer, String> wordsByRank = new java.util.TreeMap<>();

  public WordIndex(Map<String, Integer> ranks) {
    this.ranks = Map.copyOf(ranks);
    ranks.forEach((w, r) -> wordsByRank.put(r, w));
  }

  public static WordIndex read(Path file) {
    if (!Files.isRegularFile(file)) {
      throw new InputException("word index " + file + " does not exist");
    }
    try {
      JsonElement json = JsonInput.parse(TextInput.read(file));
      if (!json.isJsonObject()) {
        throw new InputException("word index " + file + " is not a JSON object: expected {\"word\": rank, ...}");
      }
      Map<String, Integer> ranks = new HashMap<>();
      for (Map.Entry<String, JsonElement> e : json.getAsJsonObject().entrySet()) {
        JsonElement v = e.getValue();
        if (!v.isJsonPrimitive() || !v.getAsJsonPrimitive().isNumber() || !v.getAsString().matches("\\d{1,9}")
            || v.getAsInt() < 1 || v.getAsInt() > NpzFile.MAX_RANK) {
          throw new InputException("word index " + file + ": '" + e.getKey() + "' maps to "
              + JsonInput.shown(v) + ": expected an integer rank in [1, " + NpzFile.MAX_RANK + "]");
        }
        ranks.put(e.getKey(), v.getAsInt());
      }
      return new WordIndex(ranks);
    } catch (JsonParseException e) {
      throw new InputException("word index " + file + " is not valid JSON: expected {\"word\": rank, ...}");
    }
  }

  /** Keras Tokenizer order over training texts: by count, ties by first appearance; ranks from 1. */
  public static WordIndex fromTexts(List<List<String>> texts) {
    Map<String, int[]> counts = new LinkedHashMap<>();
    for (List<String> words : texts) {
      for (String w : words) {
        counts.computeIfAbsent(w, k -> new int[1])[0]++;
      }
    }
    List<Map.Entry<String, int[]>> entries = new ArrayList<>(counts.entrySet());
    entries.sort((a, b) -> Integer.compare(b.getValue()[0], a.getValue()[0])); // stable: first seen wins ties
    Map<String, Integer> ranks = new HashMap<>();
    for (int i = 0; i < entries.size(); i++) {
      ranks.put(entries.get(i).getKey(), i + 1);
    }
    return new WordIndex(ranks);
  }

  public void write(Path file) throws IOException {
    JsonObject json = new JsonObject();
    wordsByRank.forEach((r, w) -> json.addProperty(w, r));
    AtomicFile.writeString(file, new Gson().toJson(json));
  }

  public int size() {
    return ranks.size();
  }

  /** The rank of a word, or null when the word is unknown. */
  /** Every word with its rank (unmodifiable). */
  public Map<String, Integer> ranks() {
    return ranks;
  }

  public Integer rank(String word) {
    return ranks.get(word);
  }

  /** Raw ranks of the known words of a text (unknown words are dropped, as Keras' Tokenizer does). */
  public int[] ranksOf(List<String> words) {
    return words.stream().map(ranks::get).filter(java.util.Objects::nonNull).mapToInt(Integer::intValue).toArray();
  }

  /**
   * A review's token ids as {@code load_data} would give them: start token, rank + index_from, and OOV for
   * unknown words and ids outside {@code skip_top <= id < num_words}.
   */
  public int[] encode(String text, DataSettings s, int numWords) {
    List<String> words = KerasTextStandardizer.words(text);
    int[] ids = new int[words.size() + 1];
    ids[0] = s.startChar();
    for (int i = 0; i < words.size(); i++) {
      Integer r = ranks.get(words.get(i));
      int id = r == null ? s.oovChar() : r + s.indexFrom();
      ids[i + 1] = id < s.skipTop() || id >= numWords ? s.oovChar() : id;
    }
    return ids;
  }

  /** Words of token ids; 0, 1, 2 read {@code <PAD>}, {@code <START>}, {@code <UNK>}. */
  public String decode(int[] ids, DataSettings s) {
    StringBuilder out = new StringBuilder();
    for (int id : ids) {
      if (!out.isEmpty()) {
        out.append(' ');
      }
      out.append(word(id, s));
    }
    return out.toString();
  }

  public String word(int id, DataSettings s) {
    if (id == 0) {
      return "<PAD>";
    }
    if (id == s.startChar()) {
      return "<START>";
    }
    if (id == s.oovChar()) {
      return "<UNK>";
    }
    int rank = id - s.indexFrom();
    return wordsByRank.getOrDefault(rank, "<UNK>");
  }
}
