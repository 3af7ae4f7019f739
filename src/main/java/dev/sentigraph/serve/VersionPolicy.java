package dev.sentigraph.serve;

import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;

/** Which of a model's ready version folders are served: TensorFlow Serving's {@code ServableVersionPolicy}. */
public sealed interface VersionPolicy {
  /** The {@code count} highest versions (TF Serving's default: the single latest). */
  record Latest(int count) implements VersionPolicy {
    public Latest {
      if (count <= 0) {
        throw new IllegalArgumentException("latest num_versions " + count + " must be positive");
      }
    }
  }

  /** Every version found. */
  record All() implements VersionPolicy {}

  /** Exactly the versions named. */
  record Specific(Set<Long> versions) implements VersionPolicy {
    public Specific {
      versions = Set.copyOf(versions);
    }
  }

  static VersionPolicy latest() {
    return new Latest(1);
  }

  /** The versions to serve out of those ready to load. */
  default SortedSet<Long> choose(SortedSet<Long> ready) {
    if (this instanceof Latest l) {
      TreeSet<Long> out = new TreeSet<>();
      for (Long v : new TreeSet<>(ready).descendingSet()) {
        if (out.size() == l.count()) {
          break;
        }
        out.add(v);
      }
      return out;
    }
    if (this instanceof Specific s) {
      TreeSet<Long> out = new TreeSet<>(ready);
      out.retainAll(s.versions());
      return out;
    }
    return new TreeSet<>(ready);
  }
}
