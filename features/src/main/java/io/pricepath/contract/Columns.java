package io.pricepath.contract;

/** Table folders and column names of the data contract (v1), and of the run's outputs. */
public final class Columns {
  private Columns() {}

  // tables
  public static final String ARTICLES = "articles";
  public static final String WEEKLY = "weekly";
  public static final String RETURNS = "returns";
  public static final String RESIDUALS = "residuals";

  // articles
  public static final String ARTICLE_ID = "article_id";
  public static final String CATEGORY = "category";
  public static final String BRAND = "brand";
  public static final String SEASON = "season";
  public static final String UNIT_COST = "unit_cost";
  public static final String FIRST_WEEK = "first_week";
  public static final String EXIT_WEEK = "exit_week";
  /**
   * Optional per-article business rules (articles, an extension of the contract): each overrides
   * the run's and the category's rule for that article; null = not set.
   */
  public static final String RULE_MIN_DISCOUNT = "rule_min_discount";
  public static final String RULE_MAX_DISCOUNT = "rule_max_discount";
  public static final String RULE_MAX_CHANGES = "rule_max_changes";
  public static final String RULE_MAX_STEPS_PER_WEEK = "rule_max_steps_per_week";
  public static final String RULE_MARKDOWN_ONLY = "rule_markdown_only";
  /** First week (a Monday) in which the article's price may change; earlier weeks keep the live discount. */
  public static final String RULE_NO_TOUCH_UNTIL = "rule_no_touch_until";
  /** A ladder discount the article is locked at in every week of the horizon. */
  public static final String RULE_LOCKED_DISCOUNT = "rule_locked_discount";
  /** Prefix of extra categorical attributes (articles). */
  public static final String CATEGORICAL_PREFIX = "c_";
  /** Prefix of extra numeric attributes (articles) and signals (weekly). */
  public static final String NUMERIC_PREFIX = "x_";

  // weekly
  public static final String MARKET = "market";
  public static final String WEEK = "week";
  public static final String BLACK_PRICE = "black_price";
  public static final String DISCOUNT = "discount";
  public static final String UNITS_SOLD = "units_sold";
  public static final String STOCK_ON_HAND = "stock_on_hand";
  public static final String FULFILLMENT_COST = "fulfillment_cost";

  // returns
  public static final String SALE_WEEK = "sale_week";
  public static final String RETURN_WEEK = "return_week";
  public static final String UNITS = "units";

  // residuals
  public static final String RESIDUAL_VALUE = "residual_value";

  // forecasts output
  public static final String DEMAND = "demand";
  public static final String RETURN_RATE = "return_rate";
  public static final String RETURN_WEEKS = "return_weeks";
  public static final String FULFILLMENT_COST_PER_UNIT = "fulfillment_cost_per_unit";
  public static final String RESIDUAL_VALUE_PER_UNIT = "residual_value_per_unit";
  public static final String MODEL_VERSION = "model_version";
}
