package dev.sentigraph.data;

import dev.sentigraph.error.InputException;
import java.util.List;
import java.util.Locale;

/**
 * Which label an aclImdb review gets: its polarity (the folder it lies in, 1 positive and 0 negative, what Keras'
 * IMDB dataset holds), or the band of its star rating, which aclImdb keeps in each file name
 * ({@code <id>_<rating>.txt}): ratings 1-2, 3-4, 7-8 and 9-10 become classes 0 to 3 (aclImdb has no 5 or 6).
 */
public enum ReviewLabels {
  POLARITY("polarity"),
  RATING_BANDS("rating-bands");

  private final String id;

  ReviewLabels(String id) {
    this.id = id;
  }

  /** The name in run folders' {@code data.json} and on the command line. */
  public String id() {
    return id;
  }

  /** What the classes are called, in label order, as {@code predict} and the library name a K-class run's. */
  public List<String> classNames() {
    return this == POLARITY ? List.of("negative", "positive")
        : List.of("1-2 stars", "3-4 stars", "7-8 stars", "9-10 stars");
  }

  public static ReviewLabels of(String id) {
    for (ReviewLabels l : values()) {
      if (l.id.equals(id.strip().toLowerCase(Locale.ROOT))) {
        return l;
      }
    }
    throw new InputException("labels '" + id + "' is not valid: expected polarity or rating-bands", "labels");
  }

  /** The label of the aclImdb review in file {@code name} under a {@code pos} or {@code neg} folder. */
  int label(String name, boolean positive, String where) {
    if (this == POLARITY) {
      return positive ? 1 : 0;
    }
    int rating;
    try {
      rating = Integer.parseInt(name.substring(name.lastIndexOf('_') + 1, name.length() - ".txt".length()));
    } catch (RuntimeException e) {
      rating = -1;
    }
    if (rating < 1 || rating > 10 || rating == 5 || rating == 6 || rating >= 7 != positive) {
      throw new InputException(where + ": '" + name + "' carries no star rating of its folder: rating bands need"
          + " aclImdb's <id>_<rating>.txt names, 1-4 under neg and 7-10 under pos", "labels");
    }
    return rating <= 2 ? 0 : rating <= 4 ? 1 : rating <= 8 ? 2 : 3;
  }
}
