package io.pricepath.forecast.backtest;

import java.time.LocalDate;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * The figures of one backtest. Demand figures are over the uncensored (article, market, week)
 * target rows of every origin: sold-out weeks ({@code units_sold >= stock_on_hand}) are left out,
 * their sales understate demand.
 *
 * @param origins the forecast origins, oldest first
 * @param horizon weeks forecast from each origin
 * @param trained model sets trained in this run (one per origin, two with a compared family)
 * @param reused model sets that came from the cache
 * @param modelVersions the primary model's version per origin
 * @param censoredRows target rows left out of the demand figures (sold out)
 * @param models demand accuracy per model, {@link #PRICEPATH} first, then {@link #RECENT_MEAN}
 *     and {@link #LOG_LOG}, then a compared family's ({@code pricepath_transformer} …) if any
 * @param byHorizon demand accuracy per horizon week and model
 * @param byTarget accuracy of the other targets that the data allows to evaluate (see {@code
 *     metrics.json} for what each means)
 * @param outDir where metrics, predictions and report were written
 */
public record BacktestResult(
    List<LocalDate> origins,
    int horizon,
    int trained,
    int reused,
    Map<LocalDate, String> modelVersions,
    long censoredRows,
    Map<String, Accuracy> models,
    List<Horizon> byHorizon,
    Map<String, Accuracy> byTarget,
    String outDir) {

  /** The primary model. */
  public static final String PRICEPATH = "pricepath";

  /** The recent-mean naive baseline. */
  public static final String RECENT_MEAN = "recent_mean";

  /** The per-series log-log price-elasticity baseline. */
  public static final String LOG_LOG = "loglog_elasticity";

  /** The models, in report order. */
  public static final List<String> MODELS = List.of(PRICEPATH, RECENT_MEAN, LOG_LOG);

  /**
   * Demand accuracy of every model at one horizon week.
   *
   * @param h horizon week (1 = the origin's week)
   * @param models accuracy per model, in {@link #MODELS} order (and a compared family's)
   */
  public record Horizon(int h, Map<String, Accuracy> models) {
    public Horizon {
      models = Collections.unmodifiableMap(new LinkedHashMap<>(models));
    }
  }

  public BacktestResult {
    origins = List.copyOf(origins);
    modelVersions = Collections.unmodifiableMap(new LinkedHashMap<>(modelVersions));
    models = Collections.unmodifiableMap(new LinkedHashMap<>(models));
    byHorizon = List.copyOf(byHorizon);
    byTarget = Collections.unmodifiableMap(new LinkedHashMap<>(byTarget));
    Objects.requireNonNull(outDir, "outDir");
    for (String m : MODELS) {
      if (!models.containsKey(m)) {
        throw new IllegalArgumentException(
            "Cannot report the backtest: no figures for model %s".formatted(m));
      }
    }
  }

  /** The primary model's demand accuracy. */
  public Accuracy primary() {
    return models.get(PRICEPATH);
  }

  /** The primary model's demand WAPE. */
  public double wape() {
    return primary().wape();
  }

  /** The primary model's demand bias. */
  public double bias() {
    return primary().bias();
  }

  /** Uncensored target rows the demand figures are over. */
  public long n() {
    return primary().n();
  }

  /** Demand WAPE of {@code model} (one of {@link #models()}). */
  public double wape(String model) {
    Accuracy a = models.get(model);
    if (a == null) {
      throw new IllegalArgumentException(
          "Cannot read the backtest: unknown model %s (models: %s)".formatted(model, models.keySet()));
    }
    return a.wape();
  }

  /** A console summary: the run, a table of WAPE and bias per model, WAPE per horizon week. */
  public String render() {
    StringBuilder s = new StringBuilder();
    s.append(
        String.format(
            Locale.ROOT,
            "Backtest: %d origin%s %s .. %s, horizon %d week%s (%d trained, %d from the cache)%n",
            origins.size(),
            origins.size() == 1 ? "" : "s",
            origins.isEmpty() ? "-" : origins.get(0),
            origins.isEmpty() ? "-" : origins.get(origins.size() - 1),
            horizon,
            horizon == 1 ? "" : "s",
            trained,
            reused));
    s.append(
        String.format(
            Locale.ROOT,
            "Demand over %d (article, market, week) rows; %d sold-out weeks excluded%n%n",
            n(),
            censoredRows));
    // the model column as wide as its longest name (19 for the base models)
    int width = Math.max(19, models.keySet().stream().mapToInt(String::length).max().orElse(0) + 1);
    String row = "%-" + width + "s %8s %8s%n";
    s.append(String.format(Locale.ROOT, row, "model", "WAPE", "bias"));
    for (String m : models.keySet()) {
      Accuracy a = models.get(m);
      s.append(
          String.format(
              Locale.ROOT, row, m, figure(a.wape(), false), figure(a.bias(), true)));
    }
    s.append(String.format(Locale.ROOT, "%nWAPE by horizon week%n%3s %8s", "h", "rows"));
    for (String m : models.keySet()) {
      s.append(String.format(Locale.ROOT, " %18s", m));
    }
    s.append(System.lineSeparator());
    for (Horizon h : byHorizon) {
      s.append(String.format(Locale.ROOT, "%3d %8d", h.h(), h.models().get(PRICEPATH).n()));
      for (String m : models.keySet()) {
        s.append(String.format(Locale.ROOT, " %18s", figure(h.models().get(m).wape(), false)));
      }
      s.append(System.lineSeparator());
    }
    if (!byTarget.isEmpty()) {
      s.append(System.lineSeparator());
      byTarget.forEach(
          (t, a) ->
              s.append(
                  String.format(
                      Locale.ROOT,
                      "%-26s WAPE %s, bias %s over %d rows%n",
                      t,
                      figure(a.wape(), false),
                      figure(a.bias(), true),
                      a.n())));
    }
    s.append(String.format(Locale.ROOT, "%nWritten to %s%n", outDir));
    return s.toString();
  }

  private static String figure(double v, boolean signed) {
    if (Double.isNaN(v)) {
      return "-";
    }
    return String.format(Locale.ROOT, signed ? "%+.3f" : "%.3f", v);
  }
}
