package io.pricepath.forecast.model;

import io.pricepath.features.FeatureLayout;
import java.io.Serializable;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * Where a model comes from: enough to retrain it and get the same model.
 *
 * @param target the target's column name
 * @param kind {@code xgboost} or {@code constant}
 * @param planWeek the plan week it was trained for (ISO date); history is strictly before it
 * @param trainingFrom first target week of the training samples (ISO date)
 * @param trainingTo last target week of the training samples (ISO date)
 * @param features feature names, in the order the model reads them
 * @param layout the feature layout (vocabularies included) that encodes them
 * @param objective XGBoost objective, or how the constant was computed
 * @param hyperparameters every training parameter, as text
 * @param seed random seed
 * @param libraryVersions XGBoost, Spark, Scala and Java versions it was trained with
 * @param dataFingerprint hash of the training rows (keys, labels, weights)
 * @param trainingRows number of training rows
 * @param metrics evaluation figures (holdout WAPE, bias, …), may be empty
 * @param notes how the data was treated (censoring, missing tables, fallbacks)
 */
public record Provenance(
    String target,
    String kind,
    String planWeek,
    String trainingFrom,
    String trainingTo,
    List<String> features,
    FeatureLayout.Spec layout,
    String objective,
    Map<String, String> hyperparameters,
    long seed,
    Map<String, String> libraryVersions,
    String dataFingerprint,
    long trainingRows,
    Map<String, Double> metrics,
    List<String> notes)
    implements Serializable {

  public Provenance {
    Objects.requireNonNull(target, "target");
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(layout, "layout");
    features = List.copyOf(features);
    hyperparameters = new TreeMap<>(hyperparameters);
    libraryVersions = new TreeMap<>(libraryVersions);
    metrics = new TreeMap<>(metrics);
    notes = List.copyOf(notes);
  }
}
