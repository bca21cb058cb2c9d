package io.pricepath.forecast.train;

import io.pricepath.features.FeatureLayout;
import io.pricepath.forecast.ForecastSettings;
import io.pricepath.forecast.model.Provenance;
import io.pricepath.forecast.model.Target;
import java.io.IOException;
import java.io.InputStream;
import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import ml.dmlc.xgboost4j.scala.spark.XGBoostRegressor;

/**
 * The provenance of the models of one training: what every model of it shares (window, layout,
 * settings, code and library versions) and what each adds.
 */
final class Provenances {
  private final FeatureLayout layout;
  private final ForecastSettings settings;
  private final LocalDate planWeek;
  private final LocalDate firstOrigin;
  private final Map<String, String> libraries;

  Provenances(
      FeatureLayout layout, ForecastSettings settings, LocalDate planWeek, LocalDate firstOrigin,
      String sparkVersion) {
    this.layout = layout;
    this.settings = settings;
    this.planWeek = planWeek;
    this.firstOrigin = firstOrigin;
    this.libraries = libraryVersions(sparkVersion);
  }

  /** The provenance of a {@code kind} model of {@code target}. */
  Provenance of(
      Target target, String kind, String objective, Stats stats, Map<String, Double> metrics,
      List<String> notes, Map<String, String> extra) {
    Map<String, String> hyper = new LinkedHashMap<>(settings.describe());
    hyper.put("tree_method", "hist");
    hyper.put("model_code_version", ModelCode.version());
    hyper.putAll(extra);
    List<String> names =
        target.articleLevel() ? layout.names().subList(0, layout.articleWidth()) : layout.names();
    return new Provenance(
        target.column(), kind, planWeek.toString(), firstOrigin.toString(),
        planWeek.minusWeeks(1).toString(), names, layout.spec(), objective, hyper,
        settings.seed(), libraries, stats.fingerprint(), stats.rows(), metrics, notes);
  }

  private static Map<String, String> libraryVersions(String sparkVersion) {
    Map<String, String> v = new LinkedHashMap<>();
    Properties p = new Properties();
    try (InputStream in =
        XGBoostRegressor.class.getClassLoader().getResourceAsStream("xgboost4j-version.properties")) {
      if (in != null) {
        p.load(in);
      }
    } catch (IOException e) {
      // the version stays unknown below
    }
    v.put("xgboost4j-spark", p.getProperty("version", "unknown"));
    v.put("spark", sparkVersion);
    v.put("scala", scala.util.Properties.versionNumberString());
    v.put("java", System.getProperty("java.version"));
    return v;
  }
}
