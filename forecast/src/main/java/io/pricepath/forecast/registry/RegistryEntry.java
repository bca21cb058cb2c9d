package io.pricepath.forecast.registry;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * One registered model set: what it is, how good its backtest was, and what was decided about it.
 *
 * @param version the set version ({@link io.pricepath.forecast.model.ModelSet#version()})
 * @param status the current status
 * @param reason why it has that status; null while pending
 * @param decidedBy who decided the current status; null while pending
 * @param actor the gate ({@code gate}) or the person's user name; null while pending
 * @param createdAt when it was registered
 * @param decidedAt when the current status was decided; null while pending
 * @param planWeek the plan week it was trained for (ISO date), from its provenance
 * @param targets one summary per target model, in target order
 * @param metrics backtest metrics (keys in {@link BacktestMetrics}), sorted by key
 * @param note free text given when registering (may be empty)
 * @param serving whether it is the serving set: the most recently approved one
 * @param history every decision, oldest first
 */
public record RegistryEntry(
    String version,
    Status status,
    String reason,
    DecidedBy decidedBy,
    String actor,
    Instant createdAt,
    Instant decidedAt,
    String planWeek,
    List<TargetSummary> targets,
    Map<String, Double> metrics,
    String note,
    boolean serving,
    List<StatusChange> history) {

  public RegistryEntry {
    Objects.requireNonNull(version, "version");
    Objects.requireNonNull(status, "status");
    Objects.requireNonNull(createdAt, "createdAt");
    targets = List.copyOf(targets);
    metrics = java.util.Collections.unmodifiableMap(new TreeMap<>(metrics));
    note = note == null ? "" : note;
    history = List.copyOf(history);
  }

  /** A version's status. */
  public enum Status {
    /** Registered, not decided yet: never serves. */
    PENDING,
    /** Approved: may serve (the most recently approved one does). */
    APPROVED,
    /** Rejected: never serves until approved by a person. */
    REJECTED;

    /** Lower-case name, as written to the registry and shown to people. */
    public String label() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  /** Who decided a status. */
  public enum DecidedBy {
    /** The approval gate of a run, applying an {@link ApprovalRule}. */
    GATE,
    /** A person, by hand. */
    PERSON;

    /** Lower-case name, as written to the registry and shown to people. */
    public String label() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  /**
   * One target model of the set, summarised from its provenance.
   *
   * @param target the target's column name
   * @param version the model version
   * @param kind {@code xgboost} or {@code constant}
   * @param trainingFrom first target week of the training samples (ISO date)
   * @param trainingTo last target week of the training samples (ISO date)
   * @param trainingRows number of training rows
   * @param dataFingerprint hash of the training rows
   * @param metrics the training run's own evaluation figures (holdout WAPE, …)
   */
  public record TargetSummary(
      String target,
      String version,
      String kind,
      String trainingFrom,
      String trainingTo,
      long trainingRows,
      String dataFingerprint,
      Map<String, Double> metrics) {
    public TargetSummary {
      Objects.requireNonNull(target, "target");
      Objects.requireNonNull(version, "version");
      metrics =
          metrics == null
              ? Map.of()
              : java.util.Collections.unmodifiableMap(new TreeMap<>(metrics));
    }
  }

  /**
   * One decision about a version.
   *
   * @param status the status decided
   * @param reason why
   * @param decidedBy the gate or a person
   * @param actor {@code gate} or the person's user name
   * @param at when
   */
  public record StatusChange(
      Status status, String reason, DecidedBy decidedBy, String actor, Instant at) {
    public StatusChange {
      Objects.requireNonNull(status, "status");
      Objects.requireNonNull(reason, "reason");
      Objects.requireNonNull(decidedBy, "decidedBy");
      Objects.requireNonNull(at, "at");
    }
  }

  /** Model version by target column, in target order. */
  public Map<String, String> targetVersions() {
    Map<String, String> versions = new LinkedHashMap<>();
    targets.forEach(t -> versions.put(t.target(), t.version()));
    return java.util.Collections.unmodifiableMap(versions);
  }

  /** The backtest demand WAPE ({@value ApprovalRule#WAPE}), if the metrics have it. */
  public java.util.OptionalDouble demandWape() {
    Double wape = metrics.get(ApprovalRule.WAPE);
    return wape == null ? java.util.OptionalDouble.empty() : java.util.OptionalDouble.of(wape);
  }

  /** The first 8 characters of the version, as reasons and tables quote it. */
  public String shortVersion() {
    return version.length() <= 8 ? version : version.substring(0, 8);
  }

  private static final DateTimeFormatter MINUTES =
      DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm'Z'", Locale.ROOT).withZone(ZoneOffset.UTC);

  static String time(Instant at) {
    return at == null ? "-" : MINUTES.format(at);
  }

  static String number(Double value) {
    return value == null ? "-" : String.format(Locale.ROOT, "%.3f", value);
  }

  /**
   * Everything about this version for {@code pricepath models show}: status and reason, plan week,
   * registration, backtest metrics, the target models with their training windows, and the history
   * of decisions.
   */
  public String render() {
    StringBuilder b = new StringBuilder();
    b.append("model version ").append(version).append("  ").append(status.label());
    if (serving) {
      b.append(" (serving)");
    }
    b.append('\n');
    if (reason != null) {
      b.append("  decided     ")
          .append(time(decidedAt))
          .append(" by ")
          .append(decider(decidedBy, actor))
          .append(": ")
          .append(reason)
          .append('\n');
    }
    b.append("  plan week   ").append(planWeek == null ? "-" : planWeek).append('\n');
    b.append("  registered  ").append(time(createdAt));
    if (!note.isEmpty()) {
      b.append("  (").append(note).append(')');
    }
    b.append('\n');
    b.append("  backtest    ");
    if (metrics.isEmpty()) {
      b.append("no metrics");
    } else {
      List<String> figures = new ArrayList<>();
      metrics.forEach((k, v) -> figures.add(k + " " + figure(k, v)));
      b.append(String.join(", ", figures));
    }
    b.append('\n');
    b.append("  targets\n");
    for (TargetSummary t : targets) {
      b.append(
          String.format(
              Locale.ROOT,
              "    %-26s %-8s %s  %s .. %s  %,d rows%n",
              t.target(),
              t.kind(),
              t.version(),
              t.trainingFrom(),
              t.trainingTo(),
              t.trainingRows()));
    }
    b.append("  history\n");
    if (history.isEmpty()) {
      b.append("    registered, not decided yet\n");
    }
    for (StatusChange c : history) {
      b.append("    ")
          .append(time(c.at()))
          .append("  ")
          .append(String.format(Locale.ROOT, "%-8s", c.status().label()))
          .append("  by ")
          .append(decider(c.decidedBy(), c.actor()))
          .append(": ")
          .append(c.reason())
          .append('\n');
    }
    return b.toString();
  }

  private static String figure(String key, double value) {
    return value == Math.rint(value)
            && Math.abs(value) < 1e15
            && !key.contains("wape")
            && !key.contains("bias")
        ? Long.toString((long) value)
        : String.format(Locale.ROOT, "%.4f", value);
  }

  static String decider(DecidedBy by, String actor) {
    if (by == null) {
      return "-";
    }
    return by == DecidedBy.PERSON && actor != null && !actor.isEmpty()
        ? "person (" + actor + ")"
        : by.label();
  }
}
