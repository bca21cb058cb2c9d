package io.pricepath.simulate;

import static io.pricepath.contract.Columns.ARTICLE_ID;
import static io.pricepath.contract.Columns.BLACK_PRICE;
import static io.pricepath.contract.Columns.BRAND;
import static io.pricepath.contract.Columns.CATEGORY;
import static io.pricepath.contract.Columns.DISCOUNT;
import static io.pricepath.contract.Columns.EXIT_WEEK;
import static io.pricepath.contract.Columns.FIRST_WEEK;
import static io.pricepath.contract.Columns.FULFILLMENT_COST;
import static io.pricepath.contract.Columns.MARKET;
import static io.pricepath.contract.Columns.RESIDUAL_VALUE;
import static io.pricepath.contract.Columns.RETURN_WEEK;
import static io.pricepath.contract.Columns.SALE_WEEK;
import static io.pricepath.contract.Columns.SEASON;
import static io.pricepath.contract.Columns.STOCK_ON_HAND;
import static io.pricepath.contract.Columns.UNITS;
import static io.pricepath.contract.Columns.UNITS_SOLD;
import static io.pricepath.contract.Columns.UNIT_COST;
import static io.pricepath.contract.Columns.WEEK;

import io.pricepath.contract.Weeks;
import io.pricepath.simulate.ArticleHistory.MarketHistory;
import io.pricepath.simulate.ArticleHistory.ReturnBatch;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/** Schemas of the tables the simulator writes, and the rows of one simulated article. */
final class SimulatedTables {
  private SimulatedTables() {}

  static final String TRUTH = "truth";
  static final String TRUTH_PARAMS = "truth/params";
  static final String TRUTH_JSON = "truth/truth.json";

  static final String C_COLOR = "c_color";
  static final String C_MATERIAL = "c_material";
  static final String X_WEIGHT = "x_weight";
  /**
   * The buyers' planned quantity of an article: its initial buys summed over its markets, known
   * before launch (replenishments, which depend on how it sells, are not in it).
   */
  static final String X_PLANNED_UNITS = "x_planned_units";
  /** Weekly promotion flag (1 = on promotion), a signal known in advance. */
  static final String X_PROMO = "x_promo";

  static final StructType ARTICLES =
      new StructType(
          new StructField[] {
            field(ARTICLE_ID, DataTypes.StringType, false),
            field(CATEGORY, DataTypes.StringType, false),
            field(BRAND, DataTypes.StringType, true),
            field(SEASON, DataTypes.StringType, true),
            field(UNIT_COST, DataTypes.DoubleType, true),
            field(FIRST_WEEK, DataTypes.DateType, true),
            field(EXIT_WEEK, DataTypes.DateType, true),
            field(C_COLOR, DataTypes.StringType, true),
            field(C_MATERIAL, DataTypes.StringType, true),
            field(X_WEIGHT, DataTypes.DoubleType, true),
            field(X_PLANNED_UNITS, DataTypes.DoubleType, true)
          });

  static final StructType WEEKLY =
      new StructType(
          new StructField[] {
            field(ARTICLE_ID, DataTypes.StringType, false),
            field(MARKET, DataTypes.StringType, false),
            field(WEEK, DataTypes.DateType, false),
            field(BLACK_PRICE, DataTypes.DoubleType, false),
            field(DISCOUNT, DataTypes.DoubleType, false),
            field(UNITS_SOLD, DataTypes.LongType, false),
            field(STOCK_ON_HAND, DataTypes.LongType, true),
            field(FULFILLMENT_COST, DataTypes.DoubleType, true),
            field(X_PROMO, DataTypes.DoubleType, true)
          });

  static final StructType RETURNS =
      new StructType(
          new StructField[] {
            field(ARTICLE_ID, DataTypes.StringType, false),
            field(MARKET, DataTypes.StringType, false),
            field(SALE_WEEK, DataTypes.DateType, false),
            field(RETURN_WEEK, DataTypes.DateType, false),
            field(UNITS, DataTypes.LongType, false)
          });

  static final StructType RESIDUALS =
      new StructType(
          new StructField[] {
            field(ARTICLE_ID, DataTypes.StringType, false),
            field(MARKET, DataTypes.StringType, false),
            field(RESIDUAL_VALUE, DataTypes.DoubleType, false)
          });

  static final StructType TRUTH_SCHEMA =
      new StructType(
          new StructField[] {
            field(ARTICLE_ID, DataTypes.StringType, false),
            field(MARKET, DataTypes.StringType, false),
            field("article_index", DataTypes.IntegerType, false),
            field("market_index", DataTypes.IntegerType, false),
            field(CATEGORY, DataTypes.StringType, false),
            field(FIRST_WEEK, DataTypes.DateType, false),
            field(EXIT_WEEK, DataTypes.DateType, false),
            field(BLACK_PRICE, DataTypes.DoubleType, false),
            field(UNIT_COST, DataTypes.DoubleType, false),
            field("base_demand", DataTypes.DoubleType, false),
            field("ramp_weeks", DataTypes.DoubleType, false),
            field("decay", DataTypes.DoubleType, false),
            field("season_amplitude", DataTypes.DoubleType, false),
            field("season_peak_day", DataTypes.IntegerType, false),
            field("elasticity", DataTypes.DoubleType, false),
            field("promo_lift", DataTypes.DoubleType, false),
            field("dispersion", DataTypes.DoubleType, false),
            field("return_rate", DataTypes.DoubleType, false),
            field("return_discount_slope", DataTypes.DoubleType, false),
            field("return_lag_probabilities", DataTypes.createArrayType(DataTypes.DoubleType, false), false),
            field("ship_cost", DataTypes.DoubleType, false),
            field("return_handling_cost", DataTypes.DoubleType, false),
            field("cost_noise", DataTypes.DoubleType, false),
            field(RESIDUAL_VALUE, DataTypes.DoubleType, false),
            field("start_stock", DataTypes.LongType, false),
            field("live_discount", DataTypes.DoubleType, false),
            field("pending_returns", DataTypes.createArrayType(DataTypes.LongType, false), false)
          });

  private static StructField field(String name, org.apache.spark.sql.types.DataType type, boolean nullable) {
    return DataTypes.createStructField(name, type, nullable);
  }

  static Row articleRow(ArticleHistory a) {
    return RowFactory.create(
        a.articleId(), a.category(), a.brand(), a.season(), a.unitCost(), a.firstWeek(),
        a.exitWeek(), a.color(), a.material(), a.weight(), (double) a.plannedUnits());
  }

  static List<Row> weeklyRows(SimulatorConfig config, ArticleHistory a) {
    List<Row> rows = new ArrayList<>();
    for (MarketHistory m : a.markets()) {
      TruthParams t = m.truth();
      for (int i = 0; i < m.weekIndex().length; i++) {
        rows.add(
            RowFactory.create(
                t.articleId(), t.market(), config.week(m.weekIndex()[i]), t.blackPrice(),
                m.discount()[i], m.unitsSold()[i], m.stockOnHand()[i], m.fulfillmentCost()[i],
                m.promo()[i]));
      }
    }
    return rows;
  }

  static List<Row> returnRows(SimulatorConfig config, ArticleHistory a) {
    List<Row> rows = new ArrayList<>();
    for (MarketHistory m : a.markets()) {
      for (ReturnBatch r : m.returns()) {
        rows.add(
            RowFactory.create(
                m.truth().articleId(), m.truth().market(), config.week(r.saleWeek()),
                config.week(r.returnWeek()), r.units()));
      }
    }
    return rows;
  }

  static List<Row> truthRows(ArticleHistory a) {
    List<Row> rows = new ArrayList<>(a.markets().size());
    for (MarketHistory m : a.markets()) {
      rows.add(truthRow(m.truth()));
    }
    return rows;
  }

  static Row truthRow(TruthParams t) {
    return RowFactory.create(
        t.articleId(), t.market(), t.articleIndex(), t.marketIndex(), t.category(), t.firstWeek(),
        t.exitWeek(), t.blackPrice(), t.unitCost(), t.baseDemand(), t.rampWeeks(), t.decay(),
        t.seasonAmplitude(), t.seasonPeakDay(), t.elasticity(), t.promoLift(), t.dispersion(),
        t.returnRate(), t.returnDiscountSlope(), boxed(t.returnLagProbabilities()), t.shipCost(),
        t.returnHandlingCost(), t.costNoise(), t.residualValue(), t.startStock(),
        t.liveDiscount(), boxed(t.pendingReturns()));
  }

  /** A truth row (by column name, so extra columns do not matter) as its record. */
  static TruthParams truthParams(Row row) {
    List<Object> lags = row.getList(row.fieldIndex("return_lag_probabilities"));
    List<Object> pending = row.getList(row.fieldIndex("pending_returns"));
    double[] lagArray = new double[lags.size()];
    for (int i = 0; i < lagArray.length; i++) {
      lagArray[i] = ((Number) lags.get(i)).doubleValue();
    }
    long[] pendingArray = new long[pending.size()];
    for (int i = 0; i < pendingArray.length; i++) {
      pendingArray[i] = ((Number) pending.get(i)).longValue();
    }
    return new TruthParams(
        row.getAs(ARTICLE_ID),
        row.getAs(MARKET),
        row.<Integer>getAs("article_index"),
        row.<Integer>getAs("market_index"),
        row.getAs(CATEGORY),
        date(row, FIRST_WEEK),
        date(row, EXIT_WEEK),
        row.<Double>getAs(BLACK_PRICE),
        row.<Double>getAs(UNIT_COST),
        row.<Double>getAs("base_demand"),
        row.<Double>getAs("ramp_weeks"),
        row.<Double>getAs("decay"),
        row.<Double>getAs("season_amplitude"),
        row.<Integer>getAs("season_peak_day"),
        row.<Double>getAs("elasticity"),
        row.<Double>getAs("promo_lift"),
        row.<Double>getAs("dispersion"),
        row.<Double>getAs("return_rate"),
        row.<Double>getAs("return_discount_slope"),
        lagArray,
        row.<Double>getAs("ship_cost"),
        row.<Double>getAs("return_handling_cost"),
        row.<Double>getAs("cost_noise"),
        row.<Double>getAs(RESIDUAL_VALUE),
        row.<Long>getAs("start_stock"),
        row.<Double>getAs("live_discount"),
        pendingArray);
  }

  private static LocalDate date(Row row, String column) {
    return Weeks.toLocalDate(row.get(row.fieldIndex(column)));
  }

  private static scala.collection.immutable.Seq<Object> boxedSeq(List<Object> values) {
    return scala.jdk.javaapi.CollectionConverters.asScala(values).toList();
  }

  private static Object boxed(double[] values) {
    List<Object> list = new ArrayList<>(values.length);
    for (double v : values) {
      list.add(v);
    }
    return boxedSeq(list);
  }

  private static Object boxed(long[] values) {
    List<Object> list = new ArrayList<>(values.length);
    for (long v : values) {
      list.add(v);
    }
    return boxedSeq(list);
  }
}
