package dev.sentigraph.serve;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentSkipListMap;

/** A model the server serves: its source and every version it has seen, newest first when listed. */
final class ServedModel {
  private final ModelSource source;
  private final ConcurrentSkipListMap<Long, ServedVersion> versions;

  ServedModel(ModelSource source) {
    this(source, new ConcurrentSkipListMap<>());
  }

  private ServedModel(ModelSource source, ConcurrentSkipListMap<Long, ServedVersion> versions) {
    this.source = source;
    this.versions = versions;
  }

  /** The same model, its versions kept, under a reloaded configuration (policy, labels). */
  ServedModel reconfigured(ModelSource newSource) {
    return new ServedModel(newSource, versions);
  }

  ModelSource source() {
    return source;
  }

  String name() {
    return source.name();
  }

  Map<Long, ServedVersion> versions() {
    return versions;
  }

  /** Every version seen, newest first. */
  List<ServedVersion> listed() {
    return List.copyOf(versions.descendingMap().values());
  }

  /** The highest AVAILABLE version, or null. */
  ServedVersion latestAvailable() {
    for (ServedVersion v : versions.descendingMap().values()) {
      if (v.state() == ServedVersion.State.AVAILABLE) {
        return v;
      }
    }
    return null;
  }

  int availableCount() {
    return (int) versions.values().stream().filter(v -> v.state() == ServedVersion.State.AVAILABLE).count();
  }
}
