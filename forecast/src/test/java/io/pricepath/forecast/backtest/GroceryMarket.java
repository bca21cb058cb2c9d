package io.pricepath.forecast.backtest;

import io.pricepath.contract.Columns;
import io.pricepath.contract.ContractTables;
import io.pricepath.features.ContractFixtures;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;

/**
 * A grocery-style market at country level, unlike the fashion simulator: no stock, returns or
 * residuals; long stable life cycles (about 15 % of the articles launched during the history,
 * none exiting) whose level drifts slowly; seasonality by category (summer drinks and frozen
 * food, winter bakery); black price changes every 8 to 26 weeks; short promotions (1–2 weeks,
 * about 8 % of the weeks) flagged {@code x_promo = 1}, mostly with a price cut of 10–35 %; a few
 * unflagged price cuts; about 3 % of weeks without a row. Expected demand: {@code base · drift ·
 * market · season · ramp · exp(e · discount) · exp(lift · x_promo) · (black / launch)^−1.2};
 * sales a gamma-Poisson draw around it (gamma shape 25: a weekly dispersion of about 20 % besides
 * the Poisson noise). The expected demand of every row is kept, for the noise floor.
 *
 * @param tables the contract tables
 * @param expected expected demand per {@link #key} of every weekly row
 */
public record GroceryMarket(ContractTables tables, Map<String, Double> expected) {

  private static final String[] MARKETS = {"DE", "FR", "NL"};

  /** Elasticity of demand to the black price, relative to the article's launch price. */
  static final double PRICE_ELASTICITY = 1.2;

  /** name, base weekly units, discount elasticity, promotion lift, season amplitude, peak day. */
  private static final Object[][] CATEGORIES = {
    {"dairy", 120.0, 1.6, 0.30, 0.05, 30},
    {"bakery", 80.0, 2.0, 0.35, 0.20, 350},
    {"snacks", 50.0, 3.2, 0.55, 0.10, 330},
    {"beverages", 90.0, 3.6, 0.50, 0.30, 200},
    {"frozen", 40.0, 2.6, 0.45, 0.25, 210},
    {"produce", 100.0, 1.8, 0.25, 0.15, 170},
  };

  static String key(String article, String market, LocalDate week) {
    return article + "|" + market + "|" + week;
  }

  /** A market of {@code articles} articles in {@code markets} markets (1–3) over {@code weeks}. */
  public static GroceryMarket generate(
      SparkSession spark, int articles, int markets, int weeks, long seed) {
    SplittableRandom random = new SplittableRandom(seed);
    List<Row> articleRows = new ArrayList<>();
    List<Row> weekly = new ArrayList<>();
    Map<String, Double> expected = new HashMap<>();
    LocalDate start = ContractFixtures.START;
    for (int a = 0; a < articles; a++) {
      String id = "S%05d".formatted(a);
      Object[] c = CATEGORIES[random.nextInt(CATEGORIES.length)];
      double elasticity = (double) c[2] * Math.exp(0.15 * gaussian(random));
      double lift = (double) c[3] * Math.exp(0.2 * gaussian(random));
      double base = (double) c[1] * Math.exp(0.7 * gaussian(random));
      double amplitude = (double) c[4];
      int peak = (int) c[5] + random.nextInt(-20, 21);
      double launchPrice = Math.round((0.8 + 4 * random.nextDouble()) * 100) / 100.0;
      int launch = random.nextDouble() < 0.15 ? random.nextInt(8, weeks) : -52;
      articleRows.add(
          RowFactory.create(
              id,
              (String) c[0],
              "brand" + random.nextInt(15),
              null,
              Math.round(launchPrice * 0.6 * 100) / 100.0,
              start.plusWeeks(launch),
              null,
              new String[] {"black", "blue", "red"}[random.nextInt(3)],
              0.1 + random.nextDouble()));
      for (int m = 0; m < markets; m++) {
        String market = MARKETS[m];
        double marketFactor = 1.0 - 0.25 * m;
        double price = launchPrice * (1 + 0.05 * m);
        double marketLaunchPrice = price;
        int nextPriceChange = random.nextInt(8, 27);
        int promoLeft = 0;
        double promoDiscount = 0;
        double drift = 0;
        for (int k = Math.max(0, launch); k < weeks; k++) {
          LocalDate w = start.plusWeeks(k);
          drift += 0.02 * gaussian(random);
          if (k == nextPriceChange) {
            price = Math.round(price * (0.97 + 0.11 * random.nextDouble()) * 100) / 100.0;
            nextPriceChange = k + random.nextInt(8, 27);
          }
          double promo = 0;
          double discount = 0;
          if (promoLeft == 0 && random.nextDouble() < 0.055) {
            promoLeft = random.nextDouble() < 0.5 ? 1 : 2;
            promoDiscount = random.nextDouble() < 0.8 ? 0.05 * random.nextInt(2, 8) : 0.0;
          }
          if (promoLeft > 0) {
            promo = 1;
            discount = promoDiscount;
            promoLeft--;
          } else if (random.nextDouble() < 0.03) {
            discount = 0.05 * random.nextInt(2, 5);
          }
          if (random.nextDouble() < 0.03) {
            continue; // not on sale this week: no row
          }
          double season = 1 + amplitude * Math.cos(2 * Math.PI * (w.getDayOfYear() - peak) / 365.25);
          double ramp = k - launch < 3 ? 0.4 + 0.2 * (k - launch) : 1.0;
          double mean =
              base * Math.exp(drift) * marketFactor * season * ramp
                  * Math.exp(elasticity * discount)
                  * Math.exp(lift * promo)
                  * Math.pow(price / marketLaunchPrice, -PRICE_ELASTICITY);
          long units = poisson(random, mean * gamma(random, 25));
          expected.put(key(id, market, w), mean);
          weekly.add(
              RowFactory.create(id, market, w, price, discount, units, null, units * 0.4, promo));
        }
      }
    }
    return new GroceryMarket(
        new ContractTables(
            "memory:grocery-market",
            spark.createDataFrame(articleRows, ContractFixtures.ARTICLES),
            spark.createDataFrame(weekly, ContractFixtures.WEEKLY),
            Optional.empty(),
            Optional.empty()),
        Map.copyOf(expected));
  }

  /**
   * The WAPE of the expected demand over the uncensored rows of a backtest's {@code
   * predictions/} (the noise floor of those rows).
   */
  public double noiseFloor(List<Row> predictions) {
    double abs = 0;
    double actual = 0;
    for (Row r : predictions) {
      if (r.<Boolean>getAs(PricepathScores.CENSORED)) {
        continue;
      }
      double y = ((Number) r.getAs(PricepathScores.ACTUAL)).doubleValue();
      LocalDate week = io.pricepath.contract.Weeks.toLocalDate(r.getAs(Columns.WEEK));
      Double mean = expected.get(key(r.getAs(Columns.ARTICLE_ID), r.getAs(Columns.MARKET), week));
      if (mean == null) {
        throw new IllegalStateException("Cannot find the expected demand of " + r);
      }
      abs += Math.abs(mean - y);
      actual += y;
    }
    return abs / actual;
  }

  /** A gamma draw of integer shape {@code k} and mean 1 (sum of exponentials). */
  private static double gamma(SplittableRandom random, int k) {
    double sum = 0;
    for (int i = 0; i < k; i++) {
      sum -= Math.log(Math.max(1e-12, random.nextDouble()));
    }
    return sum / k;
  }

  private static long poisson(SplittableRandom random, double mean) {
    if (mean > 30) {
      return Math.max(0, Math.round(mean + Math.sqrt(mean) * gaussian(random)));
    }
    double limit = Math.exp(-mean);
    double p = random.nextDouble();
    long k = 0;
    while (p > limit) {
      p *= random.nextDouble();
      k++;
    }
    return k;
  }

  private static double gaussian(SplittableRandom random) {
    double u = Math.max(1e-12, random.nextDouble());
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * random.nextDouble());
  }
}
