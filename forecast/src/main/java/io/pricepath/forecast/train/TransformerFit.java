package io.pricepath.forecast.train;

import io.pricepath.features.FeatureLayout;
import io.pricepath.forecast.ForecastSettings;
import io.pricepath.forecast.ModelFamily;
import io.pricepath.forecast.model.Target;
import io.pricepath.forecast.model.TargetModel;
import io.pricepath.forecast.neural.ForecastNetwork;
import io.pricepath.forecast.neural.Labels;
import io.pricepath.forecast.neural.NetworkShape;
import io.pricepath.forecast.neural.NetworkTraining;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The models of the transformer family, from the demand and return-rate targets' rows on the
 * driver: one network with a demand output and, where there are return rows, a return-rate
 * output read from the same joint layer, trained on the weeks before each target's validation
 * weeks (the trees' time-ordered splits) with early stopping on demand's, the weights of its best
 * epoch kept.
 */
final class TransformerFit {
  private final FeatureLayout layout;
  private final ForecastSettings settings;
  private final Provenances provenances;
  private final int cores;

  TransformerFit(
      FeatureLayout layout, ForecastSettings settings, Provenances provenances, int cores) {
    this.layout = layout;
    this.settings = settings;
    this.provenances = provenances;
    this.cores = cores;
  }

  /** Where a killed training finds its last epoch: a local folder (the file names its data). */
  static Path checkpoints() {
    return Path.of(System.getProperty("java.io.tmpdir"), "pricepath-transformer");
  }

  /**
   * The rows the network learns from: one per (series, origin, week) that is a demand row, a
   * return-rate row or both, with each target's labels where it has them.
   *
   * @param x features, row-major
   * @param origin origin of each row (epoch day)
   * @param week target week of each row (epoch day)
   * @param units units sold; {@code NaN} where the row is not a demand row (a sold-out week)
   * @param returnRate returned share of the units sold (0 where the row is not a return row)
   * @param returnWeight units sold of a return row; 0 where it is not one
   */
  record Rows(
      float[] x, int[] origin, int[] week, double[] units, double[] returnRate,
      double[] returnWeight) {
    int size() {
      return units.length;
    }

    /**
     * The union of the demand rows and the return-rate rows (null: none), matched by series,
     * origin and week: both come sorted by those keys, and a row in both has the same features.
     */
    static Rows merge(TrainingRows demand, TrainingRows returns) {
      int width = demand.width;
      int nd = demand.size();
      int nr = returns == null ? 0 : returns.size();
      float[] x = new float[(nd + nr) * width];
      int[] origin = new int[nd + nr];
      int[] week = new int[nd + nr];
      double[] units = new double[nd + nr];
      double[] rate = new double[nd + nr];
      double[] weight = new double[nd + nr];
      int i = 0;
      int j = 0;
      int n = 0;
      while (i < nd || j < nr) {
        int c = i == nd ? 1 : j == nr ? -1 : compare(demand, i, returns, j);
        TrainingRows from = c <= 0 ? demand : returns;
        int at = c <= 0 ? i : j;
        System.arraycopy(from.x, at * width, x, n * width, width);
        origin[n] = from.origin[at];
        week[n] = from.week[at];
        units[n] = c <= 0 ? demand.y[i++] : Double.NaN;
        if (c >= 0) {
          rate[n] = returns.y[j];
          weight[n] = returns.w[j++];
        }
        n++;
      }
      return new Rows(Arrays.copyOf(x, n * width), Arrays.copyOf(origin, n),
          Arrays.copyOf(week, n), Arrays.copyOf(units, n), Arrays.copyOf(rate, n),
          Arrays.copyOf(weight, n));
    }

    private static int compare(TrainingRows a, int i, TrainingRows b, int j) {
      int c = Long.compare(a.target[i], b.target[j]);
      c = c != 0 ? c : Integer.compare(a.origin[i], b.origin[j]);
      return c != 0 ? c : Integer.compare(a.week[i], b.week[j]);
    }

    /**
     * The labels of the rows {@code demand} and {@code returns} keep for each target: a row's
     * label of a target it is not kept for is left out.
     */
    Labels labels(Subset demand, Subset returns) {
      double[] u = units.clone();
      double[] w = returnWeight.clone();
      for (int r = 0; r < size(); r++) {
        if (!demand.test(origin[r], week[r])) {
          u[r] = Double.NaN;
        }
        if (returns == null || !returns.test(origin[r], week[r])) {
          w[r] = 0;
        }
      }
      return new Labels(u, returnRate, w);
    }

    /** The rows with a label of {@code labels}. */
    static int[] labelled(Labels labels) {
      return java.util.stream.IntStream.range(0, labels.units().length)
          .filter(r -> !Double.isNaN(labels.units()[r]) || labels.returnWeight()[r] > 0)
          .toArray();
    }
  }

  /**
   * The demand model and, with {@code returns} (null: the return rate is left to the trees), the
   * return-rate model: two outputs of one network.
   *
   * @param demand the demand target's rows
   * @param returns the return-rate target's rows and stats, or null
   * @param cutoff first origin of demand's validation weeks
   * @param returnsFrom first week of the return rate's validation weeks (its last matured weeks)
   */
  List<TargetModel> fit(
      TrainingRows.Collected demand, TrainingRows.Collected returns, LocalDate cutoff,
      LocalDate returnsFrom, Map<String, Double> metrics, List<String> notes) {
    ModelFamily f = settings.family();
    boolean withReturns = returns != null;
    NetworkShape shape = NetworkShape.of(layout, f.width(), f.heads(), f.layers(), withReturns);
    Rows rows = Rows.merge(demand.rows(), withReturns ? returns.rows() : null);
    Subset demandFit = Subset.weeksBefore(cutoff);
    Subset demandCheck = Subset.atOrigin(cutoff);
    Subset returnFit = withReturns ? Subset.weeksBefore(returnsFrom) : null;
    Subset returnCheck = withReturns ? Subset.weeks(returnsFrom, null) : null;
    Labels fit = rows.labels(demandFit, returnFit);
    Labels check = rows.labels(demandCheck, returnCheck);
    int[] train = Rows.labelled(fit);
    int[] valid = Rows.labelled(check);
    if (train.length == 0 || Arrays.stream(valid).noneMatch(r -> !Double.isNaN(check.units()[r]))) {
      fit = rows.labels(Subset.ALL, withReturns ? Subset.ALL : null);
      train = Rows.labelled(fit);
      valid = new int[0];
      notes.add("no early stopping: %d demand rows and none at origin %s; every epoch trained, the last kept"
          .formatted(demand.rows().size(), cutoff));
    }
    NetworkTraining.Settings s =
        new NetworkTraining.Settings(f.width(), f.heads(), f.layers(), f.epochs(), f.patience(),
            f.batchSeries(), f.learningRate(), f.responsePrior(), settings.seed(),
            f.threads() > 0 ? f.threads() : cores, f.device());
    NetworkTraining.Result r =
        NetworkTraining.train(shape, rows.x(), fit, train, check, valid, s, checkpoints(),
            io.pricepath.forecast.TrainingLog::line);
    metrics.put("transformer_epochs", (double) r.epochs());
    metrics.put("transformer_best_epoch", (double) r.bestEpoch());
    metrics.put("transformer_seconds", r.seconds());
    metrics.put("transformer_sequence_weeks_per_second", r.sequenceWeeksPerSecond());
    if (!Double.isNaN(r.validationWape())) {
      metrics.put("holdout_wape", r.validationWape());
      metrics.put("validation_rows", (double) valid.length);
    }
    notes.add(
        "transformer: trained on %d rows with Adam (the moving average of its weights validated and kept): the Poisson loss of the uncensored target weeks before %s%s; %d epochs, early stopping on the demand rows at origin %s by the same Poisson loss (patience %d; WAPE would favour forecasts below the mean): the weights of epoch %d are kept (not trained again on the validation weeks); seed %d, on %s%s"
            .formatted(train.length, cutoff,
                withReturns ? " plus the binomial loss of the matured sale weeks' return rates before %s, weighted by units sold, which trains only the return-rate output's own weights (demand is what it would be without it)".formatted(returnsFrom) : "",
                r.epochs(), cutoff, f.patience(), r.bestEpoch(), settings.seed(), r.device(),
                r.resumedAt() > 0 ? ", resumed after epoch " + r.resumedAt() + " from a checkpoint" : ""));
    Map<String, String> hyper = new LinkedHashMap<>(shape.describe());
    hyper.put("engine", "DJL " + ai.djl.engine.Engine.getDjlVersion() + ", "
        + ai.djl.engine.Engine.getInstance().getEngineName() + " "
        + ai.djl.engine.Engine.getInstance().getVersion());
    ForecastNetwork network = ForecastNetwork.of(r, shape);
    hyper.put("transformer_weights", Integer.toString(network.weightCount()));
    List<TargetModel> models = new ArrayList<>();
    models.add(TargetModel.transformer(
        Target.DEMAND, network, layout.width(),
        provenances.of(Target.DEMAND, "transformer", "poisson (log link)", demand.stats(), metrics,
            notes, hyper)));
    if (withReturns) {
      Map<String, Double> returnMetrics = new LinkedHashMap<>(metrics);
      returnMetrics.remove("holdout_wape");
      if (!Double.isNaN(r.returnValidationError())) {
        returnMetrics.put("holdout_return_rate_error", r.returnValidationError());
      }
      List<String> returnNotes = new ArrayList<>();
      returnNotes.add(
          "the return-rate output of the demand model's network (one network, two outputs, trained together): returned units / units sold per matured sale week, weighted by units sold, validated on the sale weeks from %s (mean absolute error of the rate, weighted by units sold: %s)"
              .formatted(returnsFrom, Double.isNaN(r.returnValidationError()) ? "-"
                  : "%.4f".formatted(r.returnValidationError())));
      returnNotes.addAll(notes);
      models.add(TargetModel.transformer(
          Target.RETURN_RATE, network, layout.width(),
          provenances.of(Target.RETURN_RATE, "transformer", "binomial (logit link)",
              returns.stats(), returnMetrics, returnNotes, hyper)));
    }
    return models;
  }
}
