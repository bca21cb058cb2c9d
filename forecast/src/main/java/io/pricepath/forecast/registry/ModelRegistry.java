package io.pricepath.forecast.registry;

import io.pricepath.forecast.model.ModelSet;
import io.pricepath.forecast.model.Provenance;
import io.pricepath.forecast.model.Target;
import io.pricepath.forecast.model.TargetModel;
import io.pricepath.forecast.registry.RegistryEntry.DecidedBy;
import io.pricepath.forecast.registry.RegistryEntry.Status;
import io.pricepath.forecast.registry.RegistryEntry.StatusChange;
import io.pricepath.forecast.registry.RegistryEntry.TargetSummary;
import io.pricepath.forecast.registry.RegistryFiles.ChangeFile;
import io.pricepath.forecast.registry.RegistryFiles.EntryFile;
import io.pricepath.forecast.registry.RegistryFiles.StatusFile;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import org.apache.hadoop.conf.Configuration;

/**
 * The model registry: every registered {@link ModelSet} as a version with its status, and the
 * serving set — the most recently approved one. Lives in a folder on any Hadoop file system (local,
 * HDFS, {@code s3a://}); see the package documentation for its layout. Writes are atomic: a version
 * is listed only once it is completely copied, and a status change is seen whole or not at all. One
 * writer at a time.
 *
 * <p>Versions are named by their set version; every method that takes one also accepts a unique
 * prefix of it (as shown by {@link #render()}).
 */
public final class ModelRegistry implements AutoCloseable {
  private static final int VERSIONS_IN_MESSAGES = 10;

  private final RegistryStore store;
  private final Configuration hadoop;
  private final Clock clock;

  private ModelRegistry(RegistryStore store, Configuration hadoop, Clock clock) {
    this.store = store;
    this.hadoop = hadoop;
    this.clock = clock;
  }

  /**
   * The registry at {@code uri} (a local path, {@code file:}, {@code hdfs:} or {@code s3a:}
   * location); nothing is created until the first registration. Close it when done.
   */
  public static ModelRegistry open(String uri, Configuration hadoop) {
    return open(uri, hadoop, Clock.systemUTC());
  }

  /**
   * As {@link #open(String, Configuration)}, taking the decision and registration times from {@code
   * clock}.
   */
  public static ModelRegistry open(String uri, Configuration hadoop, Clock clock) {
    Objects.requireNonNull(hadoop, "hadoop");
    Objects.requireNonNull(clock, "clock");
    return new ModelRegistry(HadoopRegistryStore.open(uri, hadoop), hadoop, clock);
  }

  /** The registry's location, as given to {@link #open}. */
  public String uri() {
    return store.uri();
  }

  /**
   * Registers the model set saved in {@code modelDir} (as {@link ModelSet#save} wrote it) as a
   * pending version named by its set version: copies the models into the registry, with their
   * provenance summaries, {@code backtestMetrics} (keys in {@link BacktestMetrics}) and {@code
   * note}. Idempotent: when that version is already registered, returns the existing entry
   * unchanged (its metrics and note included).
   *
   * @throws IllegalArgumentException when {@code modelDir} holds no complete model set
   */
  public RegistryEntry register(String modelDir, Map<String, Double> backtestMetrics, String note) {
    Objects.requireNonNull(backtestMetrics, "backtestMetrics");
    EntryFile entry;
    try (ModelSet set = ModelSet.load(modelDir, hadoop)) {
      String version = set.version();
      Optional<RegistryEntry> existing = find(version);
      if (existing.isPresent()) {
        return existing.get();
      }
      String folder = RegistryFiles.folder(version);
      store.delete(folder);
      List<String> targets = Arrays.stream(Target.values()).map(Target::column).toList();
      store.copyIn(modelDir, targets, folder + "/" + RegistryFiles.MODELS);
      try (ModelSet copy = ModelSet.load(modelsOf(folder), hadoop)) {
        if (!copy.version().equals(version)) {
          store.delete(folder);
          throw new IllegalStateException(
              "Cannot register %s in registry %s: the copy hashes to %s, not %s (the source changed while copying; register again)"
                  .formatted(modelDir, uri(), copy.version(), version));
        }
      }
      List<TargetSummary> summaries = new ArrayList<>();
      for (TargetModel m : set.models().values()) {
        Provenance p = m.provenance();
        summaries.add(
            new TargetSummary(
                m.target().column(),
                m.version(),
                p.kind(),
                p.trainingFrom(),
                p.trainingTo(),
                p.trainingRows(),
                p.dataFingerprint(),
                p.metrics()));
      }
      entry =
          new EntryFile(
              RegistryFiles.FORMAT,
              version,
              nextSequence(),
              now().toString(),
              set.get(Target.DEMAND).provenance().planWeek(),
              note == null ? "" : note,
              new TreeMap<>(backtestMetrics),
              summaries);
      store.write(
          folder + "/" + RegistryFiles.STATUS,
          RegistryFiles.write(new StatusFile(RegistryFiles.FORMAT, List.of())));
      // written last: its presence marks the version complete
      store.write(folder + "/" + RegistryFiles.ENTRY, RegistryFiles.write(entry));
    }
    return show(entry.version());
  }

  /** Every complete version, the most recently registered first. */
  public List<RegistryEntry> list() {
    List<Stored> all = loadAll();
    String serving = serving(all).map(s -> s.entry().version()).orElse(null);
    return all.stream()
        .sorted(Comparator.comparingLong((Stored s) -> s.entry().sequence()).reversed())
        .map(s -> s.toEntry(s.entry().version().equals(serving)))
        .toList();
  }

  /** The serving set: the approved version decided last; empty when none is approved. */
  public Optional<RegistryEntry> approved() {
    return serving(loadAll()).map(s -> s.toEntry(true));
  }

  /**
   * The version named {@code version} or by a unique prefix of it.
   *
   * @throws IllegalArgumentException when no version or several match
   */
  public RegistryEntry show(String version) {
    List<Stored> all = loadAll();
    Stored match = resolve(all, version);
    boolean serving =
        serving(all).map(s -> s.entry().version().equals(match.entry().version())).orElse(false);
    return match.toEntry(serving);
  }

  /**
   * Approves a version by hand; it becomes the serving set. {@code reason} is recorded with the
   * decision; it may be blank for a pending or approved version ({@code approved by hand}), but a
   * rejected version is approved only with a reason. Approving an approved version again makes it
   * serve again (a rollback).
   *
   * @throws IllegalArgumentException when the version is unknown, or rejected and no reason given
   */
  public RegistryEntry approve(String version, String reason) {
    List<Stored> all = loadAll();
    Stored s = resolve(all, version);
    String why = reason == null ? "" : reason.strip();
    if (why.isEmpty()) {
      if (s.status() == Status.REJECTED) {
        throw new IllegalArgumentException(
            "Cannot approve model version %s: it was rejected (%s); give a reason to approve it anyway"
                .formatted(s.entry().version(), s.last().reason()));
      }
      why = "approved by hand";
    }
    return decide(all, s, Status.APPROVED, why, DecidedBy.PERSON, person());
  }

  /**
   * Rejects a version by hand, with a reason; if it was serving, the approved version decided
   * before it serves again (or none).
   *
   * @throws IllegalArgumentException when the version is unknown or no reason is given
   */
  public RegistryEntry reject(String version, String reason) {
    List<Stored> all = loadAll();
    Stored s = resolve(all, version);
    if (reason == null || reason.isBlank()) {
      throw new IllegalArgumentException(
          "Cannot reject model version %s: no reason given (it is recorded with the decision)"
              .formatted(s.entry().version()));
    }
    return decide(all, s, Status.REJECTED, reason.strip(), DecidedBy.PERSON, person());
  }

  /**
   * The approval gate: decides a pending version with {@code rule}, against the serving set's
   * backtest metrics, and records the decision (by {@code gate}). Approved, it becomes the serving
   * set; rejected, the serving set stays what it was. A version that is already decided is returned
   * unchanged: the gate never overrides a decision, a person's least of all.
   *
   * @throws IllegalArgumentException when the version is unknown
   */
  public RegistryEntry gate(String version, ApprovalRule rule) {
    Objects.requireNonNull(rule, "rule");
    List<Stored> all = loadAll();
    Stored s = resolve(all, version);
    Optional<Stored> serving = serving(all);
    if (s.status() != Status.PENDING) {
      return s.toEntry(
          serving.map(x -> x.entry().version().equals(s.entry().version())).orElse(false));
    }
    Decision d =
        rule.decide(
            s.entry().metrics(),
            serving.map(x -> x.entry().metrics()),
            serving
                .map(x -> "the approved version " + x.toEntry(true).shortVersion())
                .orElse("the approved version"));
    return decide(
        all,
        s,
        d.approved() ? Status.APPROVED : Status.REJECTED,
        d.reason(),
        DecidedBy.GATE,
        "gate");
  }

  /**
   * The folder of a version's saved models, for {@link ModelSet#load(String, Configuration)}.
   *
   * @throws IllegalArgumentException when the version is unknown
   */
  public String modelDir(String version) {
    return modelsOf(RegistryFiles.folder(resolve(loadAll(), version).entry().version()));
  }

  /**
   * The registry as a table for {@code pricepath models list}: one line per version, most recent
   * first, the serving one marked {@code *}: version, status, plan week, registration time, demand
   * WAPE, the baselines' WAPE, who decided and why.
   */
  public String render() {
    List<RegistryEntry> entries = list();
    StringBuilder b = new StringBuilder("model registry ").append(uri()).append(": ");
    if (entries.isEmpty()) {
      return b.append("no versions yet\n").toString();
    }
    b.append(entries.size()).append(entries.size() == 1 ? " version, " : " versions, ");
    b.append(
        entries.stream()
            .filter(RegistryEntry::serving)
            .findFirst()
            .map(e -> "serving " + e.version())
            .orElse("none approved"));
    b.append('\n');
    List<String[]> rows = new ArrayList<>();
    rows.add(
        new String[] {
          "",
          "version",
          "status",
          "plan week",
          "registered",
          "WAPE",
          "recent-mean",
          "log-log",
          "decided by",
          "reason"
        });
    for (RegistryEntry e : entries) {
      rows.add(
          new String[] {
            e.serving() ? "*" : "",
            e.version(),
            e.status().label(),
            e.planWeek() == null ? "-" : e.planWeek(),
            RegistryEntry.time(e.createdAt()),
            RegistryEntry.number(e.metrics().get(ApprovalRule.WAPE)),
            RegistryEntry.number(
                e.metrics().get(ApprovalRule.baselineKey(ApprovalRule.RECENT_MEAN))),
            RegistryEntry.number(
                e.metrics().get(ApprovalRule.baselineKey(ApprovalRule.LOGLOG_ELASTICITY))),
            RegistryEntry.decider(e.decidedBy(), e.actor()),
            e.reason() == null ? "" : e.reason()
          });
    }
    int columns = rows.get(0).length;
    int[] width = new int[columns];
    // at least 1: "%-0s" is not a format (the serving mark column is empty when none serves)
    java.util.Arrays.fill(width, 1);
    for (String[] row : rows) {
      for (int c = 0; c < columns; c++) {
        width[c] = Math.max(width[c], row[c].length());
      }
    }
    for (String[] row : rows) {
      StringBuilder line = new StringBuilder();
      for (int c = 0; c < columns; c++) {
        line.append(
            c == columns - 1
                ? row[c]
                : String.format(Locale.ROOT, "%-" + width[c] + "s  ", row[c]));
      }
      b.append(line.toString().stripTrailing()).append('\n');
    }
    return b.toString();
  }

  /** Releases the registry's file system connection. */
  @Override
  public void close() {
    store.close();
  }

  // ---------------------------------------------------------------------------------------------

  /** A complete version as stored. */
  private record Stored(EntryFile entry, StatusFile decisions) {
    ChangeFile last() {
      return decisions.history().isEmpty()
          ? null
          : decisions.history().get(decisions.history().size() - 1);
    }

    Status status() {
      ChangeFile last = last();
      return last == null ? Status.PENDING : Status.valueOf(last.status().toUpperCase(Locale.ROOT));
    }

    long lastSequence() {
      ChangeFile last = last();
      return last == null ? entry.sequence() : last.sequence();
    }

    RegistryEntry toEntry(boolean serving) {
      ChangeFile last = last();
      List<StatusChange> history =
          decisions.history().stream()
              .map(
                  c ->
                      new StatusChange(
                          Status.valueOf(c.status().toUpperCase(Locale.ROOT)),
                          c.reason(),
                          DecidedBy.valueOf(c.decidedBy().toUpperCase(Locale.ROOT)),
                          c.actor(),
                          Instant.parse(c.at())))
              .toList();
      StatusChange current = history.isEmpty() ? null : history.get(history.size() - 1);
      return new RegistryEntry(
          entry.version(),
          status(),
          last == null ? null : last.reason(),
          current == null ? null : current.decidedBy(),
          current == null ? null : current.actor(),
          Instant.parse(entry.createdAt()),
          current == null ? null : current.at(),
          entry.planWeek(),
          entry.targets() == null ? List.of() : entry.targets(),
          entry.metrics() == null ? Map.of() : entry.metrics(),
          entry.note(),
          serving,
          history);
    }
  }

  private String modelsOf(String folder) {
    return store.resolve(folder + "/" + RegistryFiles.MODELS);
  }

  private Instant now() {
    return clock.instant().truncatedTo(ChronoUnit.MILLIS);
  }

  private static String person() {
    return System.getProperty("user.name", "unknown");
  }

  private Optional<RegistryEntry> find(String version) {
    return load(version).map(s -> show(s.entry().version()));
  }

  /** The complete version {@code version} (exact name), if stored. */
  private Optional<Stored> load(String version) {
    String folder = RegistryFiles.folder(version);
    // entry.json is written once, last: without it the version is incomplete (a crashed copy)
    if (!store.exists(folder + "/" + RegistryFiles.ENTRY)) {
      return Optional.empty();
    }
    String where = "model version %s in registry %s".formatted(version, uri());
    EntryFile entry =
        RegistryFiles.read(
            store.read(folder + "/" + RegistryFiles.ENTRY).orElseThrow(), EntryFile.class, where);
    StatusFile status =
        store
            .read(folder + "/" + RegistryFiles.STATUS)
            .map(text -> RegistryFiles.read(text, StatusFile.class, where))
            .filter(f -> f.history() != null)
            .orElse(new StatusFile(RegistryFiles.FORMAT, List.of()));
    if (entry.format() != RegistryFiles.FORMAT || !version.equals(entry.version())) {
      throw new IllegalStateException(
          "Cannot read %s: its entry.json has format %d and version %s, this registry reads format %d"
              .formatted(where, entry.format(), entry.version(), RegistryFiles.FORMAT));
    }
    return Optional.of(new Stored(entry, status));
  }

  private List<Stored> loadAll() {
    List<Stored> all = new ArrayList<>();
    for (String name : store.folders(RegistryFiles.VERSIONS)) {
      load(name).ifPresent(all::add);
    }
    return all;
  }

  private static Optional<Stored> serving(List<Stored> all) {
    return all.stream()
        .filter(s -> s.status() == Status.APPROVED)
        .max(Comparator.comparingLong(Stored::lastSequence));
  }

  private long nextSequence() {
    long max = 0;
    for (Stored s : loadAll()) {
      max = Math.max(max, Math.max(s.entry().sequence(), s.lastSequence()));
    }
    return max + 1;
  }

  private Stored resolve(List<Stored> all, String version) {
    if (version == null || version.isBlank()) {
      throw new IllegalArgumentException(
          "Cannot find a model version in registry %s: no version given (versions: %s)"
              .formatted(uri(), names(all.stream().map(s -> s.entry().version()).toList())));
    }
    String wanted = version.strip();
    List<Stored> matches = new ArrayList<>();
    for (Stored s : all) {
      if (s.entry().version().equals(wanted)) {
        return s;
      }
      if (s.entry().version().startsWith(wanted)) {
        matches.add(s);
      }
    }
    if (matches.size() == 1) {
      return matches.get(0);
    }
    if (matches.isEmpty()) {
      throw new IllegalArgumentException(
          "Cannot find model version %s in registry %s: no such version (versions: %s)"
              .formatted(
                  wanted, uri(), names(all.stream().map(s -> s.entry().version()).toList())));
    }
    throw new IllegalArgumentException(
        "Cannot find model version %s in registry %s: the prefix matches %d versions (%s); give more characters"
            .formatted(
                wanted,
                uri(),
                matches.size(),
                names(matches.stream().map(s -> s.entry().version()).toList())));
  }

  private static String names(List<String> versions) {
    if (versions.isEmpty()) {
      return "none";
    }
    List<String> sorted = versions.stream().sorted().toList();
    if (sorted.size() <= VERSIONS_IN_MESSAGES) {
      return String.join(", ", sorted);
    }
    return String.join(", ", sorted.subList(0, VERSIONS_IN_MESSAGES))
        + ", … %d more".formatted(sorted.size() - VERSIONS_IN_MESSAGES);
  }

  private RegistryEntry decide(
      List<Stored> all, Stored s, Status status, String reason, DecidedBy by, String actor) {
    long sequence = 0;
    for (Stored x : all) {
      sequence = Math.max(sequence, Math.max(x.entry().sequence(), x.lastSequence()));
    }
    List<ChangeFile> history = new ArrayList<>(s.decisions().history());
    history.add(
        new ChangeFile(sequence + 1, status.label(), reason, by.label(), actor, now().toString()));
    String folder = RegistryFiles.folder(s.entry().version());
    store.write(
        folder + "/" + RegistryFiles.STATUS,
        RegistryFiles.write(new StatusFile(RegistryFiles.FORMAT, history)));
    return show(s.entry().version());
  }
}
