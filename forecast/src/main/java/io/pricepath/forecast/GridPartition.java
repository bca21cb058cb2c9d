package io.pricepath.forecast;

import io.pricepath.contract.Columns;
import io.pricepath.features.FeatureLayout;
import io.pricepath.features.OriginState;
import io.pricepath.features.OriginStateReader;
import io.pricepath.forecast.model.ModelSet;
import io.pricepath.forecast.model.Target;
import java.time.LocalDate;
import java.util.Iterator;
import java.util.NoSuchElementException;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.util.LongAccumulator;

/**
 * Scores one partition of scoring inputs (one row per (article, market)) into forecast-grid rows:
 * expands horizon weeks x ladder levels in the partition, predicts them in batches of about
 * {@code batchRows} rows with the raw models, and clamps every target to its range. The models
 * come from a broadcast: one instance per executor JVM, shared by its tasks (their native state
 * too), so a task neither builds nor releases them.
 */
final class GridPartition implements MapPartitionsFunction<Row, Row> {
  private static final long serialVersionUID = 1L;

  static final String H = "_h";

  /** Row layout it emits; {@code _h} becomes the week outside. */
  static final StructType SCHEMA =
      new StructType()
          .add(Columns.ARTICLE_ID, DataTypes.StringType, false)
          .add(Columns.MARKET, DataTypes.StringType, false)
          .add(H, DataTypes.IntegerType, false)
          .add(Columns.DISCOUNT, DataTypes.DoubleType, false)
          .add(Columns.DEMAND, DataTypes.DoubleType, false)
          .add(Columns.RETURN_RATE, DataTypes.DoubleType, false)
          .add(Columns.RETURN_WEEKS, DataTypes.DoubleType, false)
          .add(Columns.FULFILLMENT_COST_PER_UNIT, DataTypes.DoubleType, false)
          .add(Columns.RESIDUAL_VALUE_PER_UNIT, DataTypes.DoubleType, false)
          .add(Columns.MODEL_VERSION, DataTypes.StringType, false);

  private final OriginStateReader reader;
  private final Broadcast<ModelSet> models;
  private final double[] ladder;
  private final int horizon;
  private final LocalDate planWeek;
  private final int batchRows;
  private final LongAccumulator rowsOut;

  GridPartition(
      OriginStateReader reader,
      Broadcast<ModelSet> models,
      double[] ladder,
      int horizon,
      LocalDate planWeek,
      int batchRows,
      LongAccumulator rowsOut) {
    this.reader = reader;
    this.models = models;
    this.ladder = ladder.clone();
    this.horizon = horizon;
    this.planWeek = planWeek;
    this.batchRows = batchRows;
    this.rowsOut = rowsOut;
  }

  @Override
  public Iterator<Row> call(Iterator<Row> input) {
    return new Batches(input, models.value());
  }

  /** Features of the grid rows of {@code states}: {@code states.length x horizon x ladder}. */
  static void fill(
      FeatureLayout layout,
      OriginState[] states,
      double[][][] signals,
      int count,
      int horizon,
      LocalDate planWeek,
      double[] ladder,
      float[] x,
      float[] articles) {
    int width = layout.width();
    int articleWidth = layout.articleWidth();
    int row = 0;
    for (int a = 0; a < count; a++) {
      OriginState s = states[a];
      layout.fillArticle(articles, a * articleWidth, s);
      FeatureLayout.StateBlock block = layout.block(s);
      for (int t = 0; t < horizon; t++) {
        int first = row * width;
        layout.fill(x, first, block, t + 1, planWeek.plusWeeks(t), ladder[0], signals[a][t]);
        row++;
        for (int k = 1; k < ladder.length; k++) {
          System.arraycopy(x, first, x, row * width, width);
          layout.setDiscount(x, row * width, s, ladder[k]);
          row++;
        }
      }
    }
  }

  private final class Batches implements Iterator<Row> {
    private final Iterator<Row> input;
    private final ModelSet models;
    private final FeatureLayout layout;
    private final int perArticle = horizon * ladder.length;
    private final int articlesPerBatch = Math.max(1, batchRows / perArticle);
    private final OriginState[] states = new OriginState[articlesPerBatch];
    private final double[][][] signals = new double[articlesPerBatch][horizon][];
    private final float[] x;
    private final float[] articles;
    private final double[][] predictions = new double[4][articlesPerBatch * perArticle];
    private final double[] residual = new double[articlesPerBatch];
    private final String version;
    private final int[] decisionColumns;
    private int count;
    private int next;
    private int size;

    Batches(Iterator<Row> input, ModelSet models) {
      this.input = input;
      this.models = models;
      this.layout = models.layout();
      this.x = new float[articlesPerBatch * perArticle * layout.width()];
      this.articles = new float[articlesPerBatch * layout.articleWidth()];
      this.version = models.version();
      this.decisionColumns =
          layout.discountFeatures().stream().mapToInt(n -> layout.names().indexOf(n)).toArray();
    }

    @Override
    public boolean hasNext() {
      if (next < size) {
        return true;
      }
      if (input.hasNext()) {
        score();
        return next < size;
      }
      return false;
    }

    private void score() {
      count = 0;
      while (count < articlesPerBatch && input.hasNext()) {
        Row r = input.next();
        states[count] = reader.state(r);
        for (int t = 0; t < horizon; t++) {
          signals[count][t] = reader.futureSignals(r, t + 1);
        }
        count++;
      }
      fill(layout, states, signals, count, horizon, planWeek, ladder, x, articles);
      int rows = count * perArticle;
      int width = layout.width();
      // the rows of one (article, market, week) differ only in the discount features: a model
      // whose trees do not read them evaluates its trees once per week, not once per level
      Target[] perLevel = {
        Target.DEMAND, Target.RETURN_RATE, Target.RETURN_WEEKS, Target.FULFILLMENT_COST_PER_UNIT
      };
      for (int m = 0; m < perLevel.length; m++) {
        models
            .get(perLevel[m])
            .predictLevels(x, rows, width, ladder.length, decisionColumns, predictions[m]);
      }
      models
          .get(Target.RESIDUAL_VALUE_PER_UNIT)
          .predict(articles, count, layout.articleWidth(), residual);
      next = 0;
      size = rows;
      if (rowsOut != null) {
        rowsOut.add(rows);
      }
    }

    @Override
    public Row next() {
      if (!hasNext()) {
        throw new NoSuchElementException();
      }
      int i = next++;
      int a = i / perArticle;
      int t = (i % perArticle) / ladder.length;
      int k = i % ladder.length;
      OriginState s = states[a];
      return RowFactory.create(
          s.articleId(),
          s.market(),
          t + 1,
          ladder[k],
          atLeastZero(predictions[0][i]),
          Math.min(1.0, atLeastZero(predictions[1][i])),
          atLeastZero(predictions[2][i]),
          atLeastZero(predictions[3][i]),
          atLeastZero(residual[a]),
          version);
    }
  }

  /** {@code v} clamped to {@code >= 0}; NaN reads as 0. */
  static double atLeastZero(double v) {
    return v > 0 ? v : 0.0;
  }
}
