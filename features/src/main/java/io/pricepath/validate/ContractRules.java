package io.pricepath.validate;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.dayofweek;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.not;
import static org.apache.spark.sql.functions.row_number;

import io.pricepath.contract.Columns;
import io.pricepath.contract.DatasetReader;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.expressions.Window;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;

/** The row-level rules of the data contract (v1), table by table. */
final class ContractRules {
  private static final String DUPLICATE_RANK = "__pricepath_duplicate_rank";
  private static final String ARTICLE_KEPT = "__pricepath_article_kept";
  private static final String STATUS_ID = "__pricepath_status_article_id";
  private static final List<String> SOURCE =
      List.of(
          DatasetReader.SOURCE_FILE, DatasetReader.SOURCE_ROW, DatasetReader.SOURCE_PARTITION_VALUE);

  private ContractRules() {}

  static TableCheck articles(Dataset<Row> traced) {
    List<String> key = List.of(Columns.ARTICLE_ID);
    Dataset<Row> frame = withDuplicateRank(traced, key);
    List<Rule> rules = new ArrayList<>();
    rules.add(notNull(Columns.ARTICLE_ID));
    rules.add(notNull(Columns.CATEGORY));
    rules.add(utf8(Columns.ARTICLE_ID));
    rules.add(utf8(Columns.CATEGORY));
    rules.add(finite(Columns.UNIT_COST));
    rules.add(notNegative(Columns.UNIT_COST));
    rules.add(implausibleMoney(Columns.UNIT_COST));
    numericExtras(traced).forEach(x -> rules.add(finite(x)));
    rules.add(monday(Columns.FIRST_WEEK));
    rules.add(monday(Columns.EXIT_WEEK));
    articleRuleColumns(traced, rules);
    rules.add(duplicate(key));
    return new TableCheck(Columns.ARTICLES, frame, ownColumns(traced), key, rules);
  }

  /** The optional per-article rule columns that {@code traced} carries: ranges, Mondays, min <= max. */
  private static void articleRuleColumns(Dataset<Row> traced, List<Rule> rules) {
    List<String> present = Arrays.asList(traced.columns());
    String unset = " (or null to keep the category's or run's rule)";
    for (String column : List.of(Columns.RULE_MIN_DISCOUNT, Columns.RULE_MAX_DISCOUNT, Columns.RULE_LOCKED_DISCOUNT)) {
      if (present.contains(column)) {
        rules.add(finite(column));
        rules.add(
            new Rule(
                column + "_out_of_range",
                column,
                col(column).lt(0).or(col(column).geq(1)).and(isFinite(column)),
                column + " outside [0, 1)",
                column + " must be a discount in [0, 1) (0.3 is 30 % off)" + unset));
      }
    }
    if (present.contains(Columns.RULE_MIN_DISCOUNT) && present.contains(Columns.RULE_MAX_DISCOUNT)) {
      rules.add(
          new Rule(
              "rule_min_above_max_discount",
              Columns.RULE_MIN_DISCOUNT,
              col(Columns.RULE_MIN_DISCOUNT).gt(col(Columns.RULE_MAX_DISCOUNT)),
              Columns.RULE_MIN_DISCOUNT + " above " + Columns.RULE_MAX_DISCOUNT,
              Columns.RULE_MIN_DISCOUNT + " must be <= " + Columns.RULE_MAX_DISCOUNT));
    }
    if (present.contains(Columns.RULE_MAX_CHANGES)) {
      rules.add(notNegative(Columns.RULE_MAX_CHANGES));
    }
    if (present.contains(Columns.RULE_MAX_STEPS_PER_WEEK)) {
      rules.add(
          new Rule(
              Columns.RULE_MAX_STEPS_PER_WEEK + "_below_one",
              Columns.RULE_MAX_STEPS_PER_WEEK,
              col(Columns.RULE_MAX_STEPS_PER_WEEK).lt(1),
              Columns.RULE_MAX_STEPS_PER_WEEK + " below 1",
              Columns.RULE_MAX_STEPS_PER_WEEK + " must be >= 1 ladder step" + unset));
    }
    if (present.contains(Columns.RULE_NO_TOUCH_UNTIL)) {
      rules.add(monday(Columns.RULE_NO_TOUCH_UNTIL));
    }
  }

  /**
   * Per article id of {@code articles}: whether any of its rows is kept. Without quarantine every
   * listed article counts as kept: a problem in {@code articles} is fatal then anyway.
   */
  static Dataset<Row> articleStatus(TableCheck articles, boolean quarantine) {
    String clean = "__pricepath_clean";
    return articles
        .withCleanFlag(clean)
        .where(col(Columns.ARTICLE_ID).isNotNull())
        .groupBy(col(Columns.ARTICLE_ID).as(STATUS_ID))
        .agg(max(quarantine ? col(clean) : lit(true)).as(ARTICLE_KEPT));
  }

  static TableCheck weekly(Dataset<Row> traced, Dataset<Row> articleStatus, boolean quarantine) {
    List<String> key = List.of(Columns.ARTICLE_ID, Columns.MARKET, Columns.WEEK);
    Dataset<Row> frame = withArticleStatus(withDuplicateRank(traced, key), articleStatus);
    List<Rule> rules = new ArrayList<>();
    rules.add(notNull(Columns.ARTICLE_ID));
    rules.add(notNull(Columns.MARKET));
    rules.add(notNull(Columns.BLACK_PRICE));
    rules.add(notNull(Columns.DISCOUNT));
    rules.add(notNull(Columns.UNITS_SOLD));
    rules.add(utf8(Columns.ARTICLE_ID));
    rules.add(utf8(Columns.MARKET));
    rules.add(finite(Columns.BLACK_PRICE));
    rules.add(
        new Rule(
            Columns.BLACK_PRICE + "_not_positive",
            Columns.BLACK_PRICE,
            col(Columns.BLACK_PRICE).leq(0).and(isFinite(Columns.BLACK_PRICE)),
            Columns.BLACK_PRICE + " <= 0",
            Columns.BLACK_PRICE + " must be > 0"));
    rules.add(implausibleMoney(Columns.BLACK_PRICE));
    rules.add(
        new Rule(
            Columns.BLACK_PRICE + "_implausibly_small",
            Columns.BLACK_PRICE,
            col(Columns.BLACK_PRICE).gt(0).and(col(Columns.BLACK_PRICE).lt(MIN_PRICE)),
            Columns.BLACK_PRICE + " above 0 but below 1e-6",
            Columns.BLACK_PRICE + " must be at least 1e-6 (prices in the currency's unit, not in thousands or "
                + "millions of it)"));
    rules.add(finite(Columns.DISCOUNT));
    rules.add(
        new Rule(
            Columns.DISCOUNT + "_out_of_range",
            Columns.DISCOUNT,
            col(Columns.DISCOUNT)
                .lt(0)
                .or(col(Columns.DISCOUNT).geq(1))
                .and(isFinite(Columns.DISCOUNT)),
            Columns.DISCOUNT + " outside [0, 1)",
            Columns.DISCOUNT + " must be in [0, 1) (a fraction of the black price: 0.3 is 30 % off)"));
    rules.add(notNegative(Columns.UNITS_SOLD));
    rules.add(implausibleUnits(Columns.UNITS_SOLD));
    rules.add(notNegative(Columns.STOCK_ON_HAND));
    rules.add(implausibleUnits(Columns.STOCK_ON_HAND));
    rules.add(finite(Columns.FULFILLMENT_COST));
    rules.add(notNegative(Columns.FULFILLMENT_COST));
    rules.add(implausibleMoney(Columns.FULFILLMENT_COST));
    numericExtras(traced).forEach(x -> rules.add(finite(x)));
    rules.add(monday(Columns.WEEK));
    rules.add(partitionMatch(Columns.WEEK));
    articleRules(rules, quarantine);
    rules.add(duplicate(key));
    return new TableCheck(Columns.WEEKLY, frame, ownColumns(traced), key, rules);
  }

  static TableCheck returns(Dataset<Row> traced, Dataset<Row> articleStatus, boolean quarantine) {
    List<String> key =
        List.of(Columns.ARTICLE_ID, Columns.MARKET, Columns.SALE_WEEK, Columns.RETURN_WEEK);
    Dataset<Row> frame = withArticleStatus(traced, articleStatus);
    List<Rule> rules = new ArrayList<>();
    rules.add(notNull(Columns.ARTICLE_ID));
    rules.add(notNull(Columns.MARKET));
    rules.add(notNull(Columns.SALE_WEEK));
    rules.add(notNull(Columns.UNITS));
    rules.add(utf8(Columns.ARTICLE_ID));
    rules.add(utf8(Columns.MARKET));
    rules.add(notNegative(Columns.UNITS));
    rules.add(implausibleUnits(Columns.UNITS));
    rules.add(monday(Columns.SALE_WEEK));
    rules.add(monday(Columns.RETURN_WEEK));
    rules.add(partitionMatch(Columns.RETURN_WEEK));
    rules.add(
        new Rule(
            "return_before_sale",
            Columns.RETURN_WEEK,
            col(Columns.RETURN_WEEK).lt(col(Columns.SALE_WEEK)),
            Columns.RETURN_WEEK + " before " + Columns.SALE_WEEK,
            "units cannot come back before the week they were sold in"));
    articleRules(rules, quarantine);
    return new TableCheck(Columns.RETURNS, frame, ownColumns(traced), key, rules);
  }

  static TableCheck residuals(Dataset<Row> traced, Dataset<Row> articleStatus, boolean quarantine) {
    List<String> key = List.of(Columns.ARTICLE_ID, Columns.MARKET);
    Dataset<Row> frame = withArticleStatus(withDuplicateRank(traced, key), articleStatus);
    List<Rule> rules = new ArrayList<>();
    rules.add(notNull(Columns.ARTICLE_ID));
    rules.add(notNull(Columns.MARKET));
    rules.add(notNull(Columns.RESIDUAL_VALUE));
    rules.add(utf8(Columns.ARTICLE_ID));
    rules.add(utf8(Columns.MARKET));
    rules.add(finite(Columns.RESIDUAL_VALUE));
    rules.add(notNegative(Columns.RESIDUAL_VALUE));
    rules.add(implausibleMoney(Columns.RESIDUAL_VALUE));
    articleRules(rules, quarantine);
    rules.add(duplicate(key));
    return new TableCheck(Columns.RESIDUALS, frame, ownColumns(traced), key, rules);
  }

  private static void articleRules(List<Rule> rules, boolean quarantine) {
    rules.add(
        new Rule(
            "unknown_article",
            Columns.ARTICLE_ID,
            col(Columns.ARTICLE_ID).isNotNull().and(col(ARTICLE_KEPT).isNull()),
            "an article_id that is not in articles/",
            "every article_id must be listed in articles/"));
    if (quarantine) {
      rules.add(
          new Rule(
              "article_set_aside",
              Columns.ARTICLE_ID,
              not(col(ARTICLE_KEPT)),
              "an article_id whose articles/ rows were all set aside",
              "an article without a valid articles/ row cannot be priced"));
    }
  }

  private static Rule notNull(String column) {
    return new Rule(
        column + "_null",
        column,
        col(column).isNull(),
        "no " + column,
        column + " must not be null");
  }

  /**
   * The largest count of units one row may hold (a week of one article in one market): beyond it a
   * value is a unit mix-up or a sentinel such as Long.MAX_VALUE, and money figures built on it lose
   * their precision or overflow.
   */
  static final long MAX_UNITS = 1_000_000_000L;
  /** The largest amount of money per unit (a price, a cost, a residual value). */
  static final double MAX_MONEY = 1e9;
  /** The smallest black price above 0. */
  static final double MIN_PRICE = 1e-6;

  private static Rule implausibleUnits(String column) {
    return new Rule(
        column + "_implausible",
        column,
        col(column).gt(MAX_UNITS),
        column + " above 1e9",
        column + " must be at most 1e9 (a billion units in one week of one article-market: check the unit, and "
            + "sentinels such as 9223372036854775807)");
  }

  private static Rule implausibleMoney(String column) {
    return new Rule(
        column + "_implausible",
        column,
        col(column).gt(MAX_MONEY).and(isFinite(column)),
        column + " above 1e9",
        column + " must be at most 1e9 per unit (check the currency unit, and sentinel values)");
  }

  private static Rule notNegative(String column) {
    return new Rule(
        column + "_negative",
        column,
        col(column).lt(0).and(isFinite(column)),
        "negative " + column,
        column + " must be >= 0");
  }

  /**
   * A key or name whose bytes are not UTF-8 text: Spark would read it with U+FFFD in place of the
   * bad bytes in one place and keep the raw bytes in another, so joins on it go wrong far from here.
   */
  private static Rule utf8(String column) {
    return new Rule(
        column + "_not_utf8",
        column,
        NOT_UTF8.apply(col(column).cast(DataTypes.BinaryType)),
        "a " + column + " that is not valid UTF-8 text",
        column + " must be UTF-8 text (re-export the file as UTF-8, e.g. from Latin-1 or a spreadsheet's ANSI)");
  }

  private static final org.apache.spark.sql.expressions.UserDefinedFunction NOT_UTF8 = org.apache.spark.sql.functions
      .udf((org.apache.spark.sql.api.java.UDF1<byte[], Boolean>) ContractRules::notUtf8, DataTypes.BooleanType);

  /** Whether {@code bytes} (null: no) are not a well-formed UTF-8 sequence. */
  static boolean notUtf8(byte[] bytes) {
    if (bytes == null) {
      return false;
    }
    boolean ascii = true;
    for (byte b : bytes) {
      ascii &= b >= 0; // the usual id: no decoder needed
    }
    if (ascii) {
      return false;
    }
    try {
      java.nio.charset.StandardCharsets.UTF_8.newDecoder()
          .onMalformedInput(java.nio.charset.CodingErrorAction.REPORT)
          .onUnmappableCharacter(java.nio.charset.CodingErrorAction.REPORT)
          .decode(java.nio.ByteBuffer.wrap(bytes));
      return false;
    } catch (java.nio.charset.CharacterCodingException e) {
      return true;
    }
  }

  private static Rule finite(String column) {
    return new Rule(
        column + "_not_finite",
        column,
        not(isFinite(column)),
        "NaN or infinite " + column,
        column + " must be a finite number");
  }

  private static Rule monday(String column) {
    return new Rule(
        column + "_not_monday",
        column,
        dayofweek(col(column)).notEqual(2),
        ("aeiou".indexOf(column.charAt(0)) >= 0 ? "an " : "a ") + column + " that is not a Monday",
        "weeks are named by the date of their Monday");
  }

  private static Rule partitionMatch(String column) {
    return new Rule(
        column + "_folder_mismatch",
        column,
        col(DatasetReader.SOURCE_PARTITION_VALUE).notEqual(col(column)),
        "a " + column + " column in the file that differs from its " + column + "= folder",
        "a file that carries " + column + " must hold its folder's value");
  }

  private static Rule duplicate(List<String> key) {
    Column complete = lit(true);
    for (String part : key) {
      complete = complete.and(col(part).isNotNull());
    }
    String names = key.size() == 1 ? key.get(0) : "(" + String.join(", ", key) + ")";
    return new Rule(
        "duplicate_key",
        null,
        col(DUPLICATE_RANK).gt(1).and(complete),
        "the " + names + " of an earlier row (in file order)",
        names + " must be unique");
  }

  /** Null for null; false for NaN and ±Infinity. */
  private static Column isFinite(String column) {
    Column value = col("`" + column.replace("`", "``") + "`");
    return not(
        value
            .isNaN()
            .or(value.equalTo(lit(Double.POSITIVE_INFINITY)))
            .or(value.equalTo(lit(Double.NEGATIVE_INFINITY))));
  }

  private static Dataset<Row> withDuplicateRank(Dataset<Row> frame, List<String> key) {
    Column[] parts = key.stream().map(k -> col(k)).toArray(Column[]::new);
    return frame.withColumn(
        DUPLICATE_RANK,
        row_number()
            .over(
                Window.partitionBy(parts)
                    .orderBy(col(DatasetReader.SOURCE_FILE), col(DatasetReader.SOURCE_ROW))));
  }

  /**
   * The frame with its article's status. No broadcast hint: Spark broadcasts the per-article
   * status while it is small (spark.sql.autoBroadcastJoinThreshold) and joins a retailer's
   * million articles by a shuffle, instead of through the driver.
   */
  private static Dataset<Row> withArticleStatus(Dataset<Row> frame, Dataset<Row> status) {
    return frame
        .join(status, frame.col(Columns.ARTICLE_ID).equalTo(status.col(STATUS_ID)), "left")
        .drop(STATUS_ID);
  }

  private static List<String> numericExtras(Dataset<Row> traced) {
    return Arrays.stream(traced.schema().fields())
        .filter(f -> f.name().startsWith(Columns.NUMERIC_PREFIX))
        .filter(f -> f.dataType().equals(DataTypes.DoubleType))
        .map(StructField::name)
        .toList();
  }

  private static List<String> ownColumns(Dataset<Row> traced) {
    return Arrays.stream(traced.columns()).filter(c -> !SOURCE.contains(c)).toList();
  }
}
