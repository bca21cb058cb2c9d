package io.pricepath.forecast.model;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The margin terms of one model and the one place that knows every kind of {@link MarginTerm}:
 * {@link #read} turns a model's provenance hyperparameters into its terms and {@link
 * #hyperparameters} writes them back. A new kind of term is one class and one line in {@code
 * KINDS}.
 *
 * <p>Models list their terms under {@value #LIST_KEY}; models saved before that key existed are
 * read by each kind's marker parameter, so they load and predict as before.
 */
public final class MarginTerms implements Serializable {
  private static final long serialVersionUID = 1L;

  /** The hyperparameter that lists a model's terms by name, in order. */
  static final String LIST_KEY = "margin_terms";

  /** A kind of term: its name, the parameter that marks it in older models, its reader. */
  private record Kind(String name, String marker, Function<TermParams, MarginTerm> reader) {}

  private static final List<Kind> KINDS =
      List.of(
          new Kind(BaseLevel.NAME, "feature", BaseLevel::read),
          new Kind(DiscountResponse.NAME, "slopes", DiscountResponse::read),
          new Kind(SeasonTerm.NAME, "exponent", SeasonTerm::read),
          new Kind(PowerTerm.LEVEL, "pooled_weight", PowerTerm.reader(PowerTerm.LEVEL, 1)),
          new Kind(PowerTerm.OWN_LEVEL, "pooled_weight", PowerTerm.reader(PowerTerm.OWN_LEVEL, 1)),
          new Kind(PowerTerm.OWN_SIGNAL, "pooled_weight",
              PowerTerm.reader(PowerTerm.OWN_SIGNAL, 2)),
          new Kind(ReturnResponse.NAME, "slope", ReturnResponse::read),
          new Kind(CostPrior.NAME, "prior_feature", CostPrior::read));

  private static final MarginTerms NONE = new MarginTerms(List.of());

  private final List<MarginTerm> terms;

  private MarginTerms(List<MarginTerm> terms) {
    this.terms = List.copyOf(terms);
    long names = terms.stream().map(MarginTerm::name).distinct().count();
    if (names != terms.size()) {
      throw new IllegalArgumentException(
          "Cannot combine margin terms: each kind may appear once (%s)".formatted(names()));
    }
  }

  /** No terms: the booster's own output. */
  public static MarginTerms none() {
    return NONE;
  }

  /** These terms, in this order. */
  public static MarginTerms of(List<? extends MarginTerm> terms) {
    return new MarginTerms(new ArrayList<>(terms));
  }

  /**
   * The terms that {@code hyperparameters} describe (none when they describe none), checked
   * against a model of {@code featureCount} features.
   *
   * @throws IllegalArgumentException naming the term and key when a parameter is missing, not a
   *     number, out of range, or names an unknown kind
   */
  public static MarginTerms read(Map<String, String> hyperparameters, int featureCount) {
    List<MarginTerm> read = new ArrayList<>();
    String list = hyperparameters.get(LIST_KEY);
    if (list != null) {
      for (String name : list.split(",")) {
        if (name.isBlank()) {
          continue;
        }
        Kind kind =
            KINDS.stream()
                .filter(k -> k.name().equals(name.trim()))
                .findFirst()
                .orElseThrow(
                    () -> new IllegalArgumentException(
                        "Cannot read the margin terms of the model: unknown term '%s' in %s (a newer pricepath saved it: upgrade)"
                            .formatted(name.trim(), LIST_KEY)));
        read.add(kind.reader().apply(new TermParams(kind.name(), hyperparameters, featureCount)));
      }
      return new MarginTerms(read);
    }
    for (Kind kind : KINDS) {
      TermParams params = new TermParams(kind.name(), hyperparameters, featureCount);
      if (params.has(kind.marker())) {
        read.add(kind.reader().apply(params));
      }
    }
    return new MarginTerms(read);
  }

  /** Every term's hyperparameters and the list of their names. */
  public Map<String, String> hyperparameters() {
    Map<String, String> h = new LinkedHashMap<>();
    for (MarginTerm t : terms) {
      h.putAll(t.hyperparameters());
    }
    if (!terms.isEmpty()) {
      h.put(LIST_KEY, names());
    }
    return h;
  }

  private String names() {
    return terms.stream().map(MarginTerm::name).collect(Collectors.joining(","));
  }

  /** The sum of the terms for the feature row of {@code features} at {@code offset}. */
  public double margin(float[] features, int offset) {
    double sum = 0;
    for (MarginTerm t : terms) {
      sum += t.margin(features, offset);
    }
    return sum;
  }

  /** The terms, in order. */
  public List<MarginTerm> terms() {
    return terms;
  }

  public boolean isEmpty() {
    return terms.isEmpty();
  }

  /** The term of {@code type}, if there is one. */
  public <T extends MarginTerm> Optional<T> find(Class<T> type) {
    return terms.stream().filter(type::isInstance).map(type::cast).findFirst();
  }

  /** These terms with {@code term} in place of the one of its name (appended when there is none). */
  public MarginTerms with(MarginTerm term) {
    List<MarginTerm> next = new ArrayList<>(terms);
    for (int i = 0; i < next.size(); i++) {
      if (next.get(i).name().equals(term.name())) {
        next.set(i, term);
        return new MarginTerms(next);
      }
    }
    next.add(term);
    return new MarginTerms(next);
  }

  /** Every term's metrics, group codes named by {@code categories}. */
  public Map<String, Double> metrics(List<String> categories) {
    Map<String, Double> m = new LinkedHashMap<>();
    for (MarginTerm t : terms) {
      m.putAll(t.metrics(categories));
    }
    return m;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof MarginTerms t && t.terms.equals(terms);
  }

  @Override
  public int hashCode() {
    return terms.hashCode();
  }

  @Override
  public String toString() {
    return "MarginTerms" + terms;
  }
}
