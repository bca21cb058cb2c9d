package io.pricepath.jobs.optimize;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.catalyst.expressions.GenericRowWithSchema;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;

class PendingReturnsTest {

  private static final StructType SALE = DataTypes.createStructType(List.of(
      DataTypes.createStructField("weeks_before", DataTypes.IntegerType, false),
      DataTypes.createStructField("discount", DataTypes.DoubleType, false),
      DataTypes.createStructField("units", DataTypes.DoubleType, false),
      DataTypes.createStructField("returned", DataTypes.DoubleType, false)));
  private static final double[] LADDER = {0, 0.1, 0.2, 0.3};

  private static Row sale(int before, double discount, double units, double returned) {
    return new GenericRowWithSchema(new Object[] {before, discount, units, returned}, SALE);
  }

  @Test
  void unitsNotBackYetReturnOverTheLagsStillAhead() {
    List<Double> lags = List.of(0.0, 0.5, 0.5);
    // 1 week ago: 9 of 10 units still out, each back after 1 or 2 weeks with 0.4 * 0.5;
    // 2 weeks ago: 8 still out, of which those returning are 0.4 * 0.5 / (1 - 0.4 * 0.5) (lag 2)
    double[] incoming = PendingReturns.incoming(
        List.of(sale(1, 0.0, 10, 1), sale(2, 0.0, 10, 2)), lags, LADDER, k -> 0.4, 3);
    assertThat(incoming[0]).isCloseTo(9 * 0.2 + 8 * 0.2 / 0.8, within(1e-12));
    assertThat(incoming[1]).isCloseTo(9 * 0.2, within(1e-12));
    assertThat(incoming[2]).isZero();
  }

  @Test
  void theRateIsTheForecastAtTheNearestLadderLevel() {
    List<Double> lags = List.of(0.0, 1.0);
    double[] incoming = PendingReturns.incoming(
        List.of(sale(1, 0.24, 10, 0)), lags, LADDER, k -> 0.1 * k, 2);
    assertThat(incoming[0]).isCloseTo(10 * 0.2, within(1e-12));
    assertThat(PendingReturns.nearest(LADDER, 0.25)).isEqualTo(2);
    assertThat(PendingReturns.nearest(LADDER, 0.9)).isEqualTo(3);
  }

  @Test
  void nothingComesBackWithoutAReturnsTableOrWhenAllIsBack() {
    assertThat(PendingReturns.incoming(null, null, LADDER, k -> 0.3, 2)).containsExactly(0, 0);
    assertThat(PendingReturns.incoming(List.of(sale(1, 0, 10, 10)), List.of(0.0, 1.0), LADDER, k -> 0.3, 2))
        .containsExactly(0, 0);
    // sales older than the longest lag have nothing left to send back
    assertThat(PendingReturns.incoming(List.of(sale(5, 0, 10, 0)), List.of(0.0, 1.0), LADDER, k -> 0.3, 2))
        .containsExactly(0, 0);
  }
}
