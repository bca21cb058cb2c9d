package io.pricepath.forecast.train;

import static org.apache.spark.sql.functions.col;
import static org.assertj.core.api.Assertions.assertThat;

import io.pricepath.contract.Columns;
import io.pricepath.contract.SparkSessions;
import io.pricepath.features.FeatureBuilder;
import java.sql.Date;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Training rows come to the driver whole, with the stats Spark computes for them, however they
 * are partitioned; above the most the driver may hold, nothing is collected.
 */
class TrainingRowsTest {
  private static final int WIDTH = 3;
  private static SparkSession spark;

  @BeforeAll
  static void start() {
    spark = SparkSessions.local("TrainingRowsTest", 2, 4);
  }

  @AfterAll
  static void stop() {
    spark.stop();
  }

  /** {@code n} weekly rows of 12 articles; row {@code i}'s first feature is {@code i}. */
  private static Dataset<Row> rows(int n, int partitions) {
    StructType schema =
        new StructType()
            .add(Columns.ARTICLE_ID, DataTypes.StringType)
            .add(Columns.MARKET, DataTypes.StringType)
            .add(FeatureBuilder.ORIGIN, DataTypes.DateType)
            .add(Columns.WEEK, DataTypes.DateType)
            .add(TrainingRows.LABEL, DataTypes.DoubleType)
            .add(TrainingRows.WEIGHT, DataTypes.DoubleType)
            .add(FeatureBuilder.UNITS_4, DataTypes.DoubleType)
            .add(FeatureBuilder.FEATURES, DataTypes.createArrayType(DataTypes.FloatType));
    LocalDate monday = LocalDate.of(2026, 1, 5);
    List<Row> data = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      LocalDate origin = monday.plusWeeks(i / 12);
      data.add(RowFactory.create("a" + (i % 12), "DE", Date.valueOf(origin),
          Date.valueOf(origin.plusWeeks(i % 3)), (double) (i % 7), 1.0 + i % 2,
          i % 5 == 0 ? null : (double) i, new float[] {i, i % 3, Float.NaN}));
    }
    return spark.createDataFrame(data, schema).repartition(partitions);
  }

  @Test
  void everyRowComesWithTheStatsSparkComputes() {
    Dataset<Row> rows = rows(1_000, 3);
    TrainingRows.Collected all = TrainingRows.collectAll(rows, WIDTH, true, 10_000);
    assertThat(all).isNotNull();
    assertThat(all.rows().size()).isEqualTo(1_000);
    assertThat(all.stats()).isEqualTo(Stats.of(rows, true));
    // row i carries its own label, weight, level and features
    for (int k = 0; k < all.rows().size(); k++) {
      int i = (int) all.rows().x[k * WIDTH];
      assertThat(all.rows().y[k]).isEqualTo(i % 7);
      assertThat(all.rows().w[k]).isEqualTo(1.0 + i % 2);
      assertThat(all.rows().x[k * WIDTH + 1]).isEqualTo(i % 3);
      assertThat(Double.valueOf(all.rows().level4[k]))
          .isEqualTo(i % 5 == 0 ? Double.valueOf(Double.NaN) : Double.valueOf(i));
    }
  }

  @Test
  void theOrderDoesNotDependOnThePartitions() {
    TrainingRows two = TrainingRows.collectAll(rows(600, 2), WIDTH, true, 10_000).rows();
    TrainingRows five = TrainingRows.collectAll(rows(600, 5), WIDTH, true, 10_000).rows();
    assertThat(five.x).isEqualTo(two.x);
    assertThat(five.y).isEqualTo(two.y);
  }

  @Test
  void aPartitionOverItsShareIsStillCollectedWhenTheTotalFits() {
    // 900 rows in one partition, 3 empty ones: the full partition is over its share (250 of 1,000)
    Dataset<Row> skewed = rows(900, 1).repartition(4, col(FeatureBuilder.ORIGIN).isNotNull());
    TrainingRows.Collected all = TrainingRows.collectAll(skewed, WIDTH, true, 1_000);
    assertThat(all).isNotNull();
    assertThat(all.rows().size()).isEqualTo(900);
    assertThat(all.stats()).isEqualTo(Stats.of(skewed, true));
  }

  @Test
  void moreRowsThanTheDriverMayHoldAreNotCollected() {
    assertThat(TrainingRows.collectAll(rows(1_001, 3), WIDTH, true, 1_000)).isNull();
    assertThat(TrainingRows.collectAll(rows(1_001, 1), WIDTH, true, 1_000)).isNull();
  }

  @Test
  void aSampleIsTheSameRowsEachTime() {
    Dataset<Row> rows = rows(5_000, 3);
    TrainingRows first = TrainingRows.collect(rows, WIDTH, true, 5_000, 1_000);
    TrainingRows again = TrainingRows.collect(rows.repartition(2), WIDTH, true, 5_000, 1_000);
    assertThat(first.size()).isBetween(700, 1_300);
    assertThat(again.x).isEqualTo(first.x);
  }
}
