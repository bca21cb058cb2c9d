package io.pricepath.forecast.train;

import io.pricepath.features.FeatureLayout;
import io.pricepath.forecast.ForecastSettings;
import io.pricepath.forecast.ModelFamily;
import io.pricepath.forecast.model.Target;
import io.pricepath.forecast.model.TargetModel;
import io.pricepath.forecast.neural.DemandNetwork;
import io.pricepath.forecast.neural.NetworkShape;
import io.pricepath.forecast.neural.NetworkTraining;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

/**
 * The demand model of the transformer family, from the demand target's rows on the driver: the
 * network trained on the target weeks before the validation cutoff with early stopping on the
 * weeks from it (the trees' time-ordered split), the weights of its best epoch kept.
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

  TargetModel demand(
      TrainingRows rows, Stats stats, LocalDate cutoff, Map<String, Double> metrics,
      List<String> notes) {
    ModelFamily f = settings.family();
    NetworkShape shape = NetworkShape.of(layout, f.width(), f.heads(), f.layers());
    Subset before = Subset.weeksBefore(cutoff);
    Subset after = Subset.atOrigin(cutoff);
    int[] train = IntStream.range(0, rows.size()).filter(i -> before.test(rows, i)).toArray();
    int[] valid = IntStream.range(0, rows.size()).filter(i -> after.test(rows, i)).toArray();
    if (train.length == 0 || valid.length == 0) {
      train = IntStream.range(0, rows.size()).toArray();
      valid = new int[0];
      notes.add("no early stopping: %d rows before %s and none at it; every epoch trained, the last kept"
          .formatted(rows.size(), cutoff));
    }
    NetworkTraining.Settings s =
        new NetworkTraining.Settings(f.width(), f.heads(), f.layers(), f.epochs(), f.patience(),
            f.batchSeries(), f.learningRate(), settings.seed(),
            f.threads() > 0 ? f.threads() : cores, f.device());
    NetworkTraining.Result r =
        NetworkTraining.train(shape, rows.x, rows.y, train, valid, s, checkpoints(),
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
        "transformer: trained on %d target weeks before %s with Adam (Poisson loss on the uncensored weeks; the moving average of its weights validated and kept), %d epochs, early stopping on the %d rows at origin %s by the same loss (patience %d; WAPE would favour forecasts below the mean): the weights of epoch %d are kept (not trained again on the validation weeks); seed %d, on %s%s"
            .formatted(train.length, cutoff, r.epochs(), valid.length, cutoff, f.patience(),
                r.bestEpoch(), settings.seed(), r.device(),
                r.resumedAt() > 0 ? ", resumed after epoch " + r.resumedAt() + " from a checkpoint" : ""));
    Map<String, String> hyper = new LinkedHashMap<>(shape.describe());
    hyper.put("engine", "DJL " + ai.djl.engine.Engine.getDjlVersion() + ", "
        + ai.djl.engine.Engine.getInstance().getEngineName() + " "
        + ai.djl.engine.Engine.getInstance().getVersion());
    DemandNetwork network = DemandNetwork.of(r, shape);
    hyper.put("transformer_weights", Integer.toString(network.weightCount()));
    return TargetModel.transformer(
        Target.DEMAND, network, layout.width(),
        provenances.of(Target.DEMAND, "transformer", "poisson (log link)", stats, metrics, notes,
            hyper));
  }
}
