package io.pricepath.forecast;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.pricepath.contract.SparkSessions;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The discount response's Newton fit with sold-out weeks as censored observations. */
class CensoredResponseTest {
  private static final StructType POINTS =
      new StructType()
          .add("g", DataTypes.IntegerType)
          .add("x", DataTypes.DoubleType)
          .add("o", DataTypes.DoubleType)
          .add("y", DataTypes.DoubleType)
          .add("w", DataTypes.DoubleType)
          .add("c", DataTypes.BooleanType);
  private static SparkSession spark;

  @BeforeAll
  static void start() {
    spark = SparkSessions.local("CensoredResponseTest", 2, 2);
  }

  @AfterAll
  static void stop() {
    spark.stop();
  }

  /** {@code P(Y = c-1) / P(Y >= c)} by brute force: both from the pmf, the tail summed directly. */
  private static double bruteHazard(int c, double mu) {
    double[] pmf = new double[c + 400];
    pmf[0] = Math.exp(-mu);
    for (int j = 1; j < pmf.length; j++) {
      pmf[j] = pmf[j - 1] * mu / j;
    }
    double tail = 0;
    for (int j = pmf.length - 1; j >= c; j--) {
      tail += pmf[j];
    }
    return pmf[c - 1] / tail;
  }

  @Test
  void theHazardMatchesTheDefinition() {
    for (int c : new int[] {1, 2, 5, 12, 40}) {
      for (double mu : new double[] {0.3, 2, 6.5, 20, 45}) {
        assertThat(Trainer.hazard(c, mu))
            .as("c=%d mu=%s", c, mu)
            .isCloseTo(bruteHazard(c, mu), within(1e-9 * Math.max(1, bruteHazard(c, mu))));
      }
    }
    assertThat(Trainer.logFactorial(40)).isCloseTo(110.32063971475740, within(1e-9));
    // a sold-out week far below its mean tells nothing; far above it, nearly its units
    assertThat(Trainer.censoredScore(3, 500)[0]).isCloseTo(0, within(1e-12));
    assertThat(Trainer.censoredScore(60, 2)[0]).isCloseTo(58, within(1.0));
    assertThat(Trainer.censoredScore(8, 8)[1]).isGreaterThan(0);
  }

  @Test
  void soldOutWeeksKeepTheSlopeUnbiasedWhereDroppingThemBiasesItLow() {
    // log demand = 1.5 + 2.4 * discount; stock runs out more often at deep discounts
    SplittableRandom random = new SplittableRandom(17);
    List<Row> all = new ArrayList<>();
    List<Row> observed = new ArrayList<>();
    for (int i = 0; i < 20_000; i++) {
      double x = 0.1 * random.nextInt(8);
      double mu = Math.exp(1.5 + 2.4 * x);
      long demand = poisson(random, mu);
      long stock = 3 + random.nextInt(25);
      boolean soldOut = demand >= stock;
      Row r = RowFactory.create(0, x, 1.5, (double) Math.min(demand, stock), 1.0, soldOut);
      all.add(r);
      if (!soldOut) {
        observed.add(r);
      }
    }
    Dataset<Row> censored = spark.createDataFrame(all, POINTS);
    Dataset<Row> dropped = spark.createDataFrame(observed, POINTS);
    double withCensoring = Trainer.newton(censored, 0, new double[] {1.0})[0][0];
    double withoutSoldOut = Trainer.newton(dropped, 0, new double[] {1.0})[0][0];
    System.out.printf(
        "CensoredResponseTest: slope %.3f with sold-out weeks censored, %.3f without them (truth 2.4), %d of %d sold out%n",
        withCensoring, withoutSoldOut, all.size() - observed.size(), all.size());
    assertThat(withCensoring).isCloseTo(2.4, within(0.08));
    assertThat(withoutSoldOut).isLessThan(withCensoring - 0.1);
    // per group: the same fit, group by group
    double[][] byGroup = Trainer.newton(censored, 1, new double[] {1.0});
    assertThat(byGroup[0][0]).isCloseTo(withCensoring, within(1e-3));
    assertThat(byGroup[1][0]).isGreaterThan(0);
  }

  private static long poisson(SplittableRandom random, double mu) {
    double l = Math.exp(-mu);
    long k = 0;
    double p = 1;
    do {
      k++;
      p *= random.nextDouble();
    } while (p > l);
    return k - 1;
  }
}
