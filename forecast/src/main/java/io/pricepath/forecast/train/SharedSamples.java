package io.pricepath.forecast.train;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;

import io.pricepath.contract.Columns;
import io.pricepath.contract.ContractTables;
import io.pricepath.features.FeatureBuilder;
import io.pricepath.features.FeatureLayout;
import io.pricepath.features.LayoutHistory;
import io.pricepath.forecast.ForecastSettings;
import java.time.LocalDate;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.SortedSet;
import java.util.TreeSet;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.storage.StorageLevel;

/**
 * The samples of {@link FeatureBuilder#trainingSamples} (before encoding) of many origins, built
 * in one Spark pass and kept (persisted, spilled to disk where they do not fit), from which
 * several trainings and a backtest's scoring take their rows instead of building them again: a
 * backtest's origins, a weekly run's candidate and the backtest that gates it.
 *
 * <p>Exact, not an approximation: a sample reads nothing at or after its origin but its own
 * target week, so the rows of origin {@code o} with week {@code < w} and {@code h <= horizon} are
 * the rows {@code trainingSamples(tables, w, [o], horizon)} builds (tested). Close it to release
 * the rows.
 */
public final class SharedSamples implements AutoCloseable {
  private final ContractTables tables;
  private final SortedSet<LocalDate> origins;
  private final LocalDate end;
  private final int horizon;
  private final Dataset<Row> rows;
  private LayoutHistory layoutHistory;

  private SharedSamples(
      ContractTables tables, SortedSet<LocalDate> origins, LocalDate end, int horizon,
      boolean kept) {
    this.tables = tables;
    this.origins = origins;
    this.end = end;
    this.horizon = horizon;
    Dataset<Row> built = FeatureBuilder.trainingSamples(tables, end, List.copyOf(origins), horizon);
    this.rows = kept ? built.persist(StorageLevel.MEMORY_AND_DISK()) : built;
  }

  /**
   * The samples of {@code origins} with target weeks before {@code end} and up to {@code horizon}
   * weeks ahead of their origin. Nothing is computed until rows are first read.
   *
   * @throws IllegalArgumentException when there are no origins, or one is after {@code end}
   */
  public static SharedSamples of(
      ContractTables tables, Collection<LocalDate> origins, LocalDate end, int horizon) {
    Objects.requireNonNull(tables, "tables");
    Objects.requireNonNull(end, "end");
    return new SharedSamples(tables, new TreeSet<>(origins), end, horizon, true);
  }

  /** As {@link #of}, for one reader: the rows are built where they are read, not kept. */
  static SharedSamples unkept(
      ContractTables tables, Collection<LocalDate> origins, LocalDate end, int horizon) {
    return new SharedSamples(tables, new TreeSet<>(origins), end, horizon, false);
  }

  /**
   * The origins whose samples a training for {@code planWeek} reads: {@link
   * FeatureBuilder#trainingOrigins} and, with a holdout, the validation cutoff.
   */
  public static SortedSet<LocalDate> trainingOrigins(LocalDate planWeek, ForecastSettings settings) {
    TreeSet<LocalDate> out =
        new TreeSet<>(
            FeatureBuilder.trainingOrigins(
                planWeek, settings.trainingWeeks(), settings.originEvery()));
    if (settings.validationWeeks() > 0) {
      out.add(validationCutoff(planWeek, settings));
    }
    return out;
  }

  /** The first week of a training's holdout: {@code planWeek - validationWeeks}. */
  static LocalDate validationCutoff(LocalDate planWeek, ForecastSettings settings) {
    return planWeek.minusWeeks(settings.validationWeeks());
  }

  /** The tables the samples are built from. */
  public ContractTables tables() {
    return tables;
  }

  /**
   * Whether these samples hold every row of {@code wanted} with target weeks before {@code
   * before} and up to {@code horizon} weeks ahead.
   */
  public boolean covers(Collection<LocalDate> wanted, LocalDate before, int horizon) {
    return origins.containsAll(wanted) && !before.isAfter(end) && horizon <= this.horizon;
  }

  /**
   * The samples of {@code wanted} with target weeks before {@code before} and {@code h <=
   * horizon}: what {@code FeatureBuilder.trainingSamples(tables, before, wanted, horizon)} builds.
   *
   * @throws IllegalArgumentException when these samples do not {@linkplain #covers cover} them
   */
  public Dataset<Row> rows(Collection<LocalDate> wanted, LocalDate before, int horizon) {
    if (!covers(wanted, before, horizon)) {
      throw new IllegalArgumentException(
          "Cannot read samples of origins %s before %s, %d weeks ahead: these hold origins %s before %s, %d weeks ahead"
              .formatted(wanted, before, horizon, origins, end, this.horizon));
    }
    Object[] dates = new TreeSet<>(wanted).toArray();
    return rows.filter(
        col(FeatureBuilder.ORIGIN)
            .isin(dates)
            .and(col(Columns.WEEK).lt(lit(before)))
            .and(col(FeatureBuilder.H).leq(horizon)));
  }

  /**
   * The feature layout of a training for {@code planWeek} ({@link FeatureBuilder#fitLayout}),
   * from the history these samples' tables hold before their end: read once, for every plan
   * week.
   */
  public FeatureLayout layout(LocalDate planWeek) {
    if (planWeek.isAfter(end)) {
      throw new IllegalArgumentException(
          "Cannot fit the feature layout of plan week %s from samples that end at %s"
              .formatted(planWeek, end));
    }
    if (layoutHistory == null) {
      layoutHistory = FeatureBuilder.layoutHistory(tables, end);
    }
    return layoutHistory.layoutAt(planWeek);
  }

  /** Releases the persisted rows. */
  @Override
  public void close() {
    rows.unpersist();
  }
}
