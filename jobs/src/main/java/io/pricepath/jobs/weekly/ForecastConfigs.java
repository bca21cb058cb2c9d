package io.pricepath.jobs.weekly;

import io.pricepath.forecast.ForecastSettings;
import io.pricepath.forecast.ModelFamily;
import io.pricepath.jobs.config.RunConfig;

/** The forecast module's settings from a run configuration. */
public final class ForecastConfigs {
  private ForecastConfigs() {}

  /** Training and grid settings of {@code config}; {@code cores} sizes the XGBoost workers when not configured. */
  public static ForecastSettings settings(RunConfig config, int cores) {
    RunConfig.ForecastConfig f = config.forecast();
    ForecastSettings d = ForecastSettings.defaults();
    int workers = f.workers() > 0 ? f.workers() : Math.max(1, cores);
    return new ForecastSettings(config.horizon(), config.ladder(), f.trainingWeeks(), f.originEvery(),
        Math.min(f.validationWeeks(), config.horizon()), f.rounds(), f.maxDepth(), f.eta(), f.seed(), workers,
        d.minTrainingRows(), d.returnMaturityWeeks(), d.batchRows(),
        ForecastSettings.BoosterTraining.parse(f.boosterTraining()), f.trackerTimeout(),
        family(f));
  }

  private static ModelFamily family(RunConfig.ForecastConfig f) {
    RunConfig.TransformerConfig t = f.transformer();
    return new ModelFamily(f.model(), t.weeks(), t.width(), t.heads(), t.layers(), t.epochs(),
        t.patience(), t.batchSeries(), t.learningRate(), t.responsePrior(), t.threads(), t.device());
  }
}
