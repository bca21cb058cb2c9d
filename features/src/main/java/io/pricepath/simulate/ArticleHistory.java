package io.pricepath.simulate;

import java.time.LocalDate;
import java.util.List;

/**
 * One simulated article: its attributes and, per market it sells in, the truth and the history
 * the simulator observed. Weekly arrays hold only the weeks that become {@code weekly/} rows.
 */
record ArticleHistory(
    int index,
    String articleId,
    String category,
    String brand,
    String season,
    double unitCost,
    LocalDate firstWeek,
    LocalDate exitWeek,
    String color,
    String material,
    double weight,
    long plannedUnits,
    List<MarketHistory> markets) {

  /** The same article with other market histories. */
  ArticleHistory withMarkets(List<MarketHistory> histories) {
    return new ArticleHistory(
        index, articleId, category, brand, season, unitCost, firstWeek, exitWeek, color, material,
        weight, plannedUnits, histories);
  }

  /** History of one article in one market. */
  record MarketHistory(
      TruthParams truth,
      int[] weekIndex,
      double[] discount,
      long[] unitsSold,
      long[] stockOnHand,
      double[] fulfillmentCost,
      double[] promo,
      List<ReturnBatch> returns) {}

  /** Units sold in history week {@code saleWeek} that came back in history week {@code returnWeek}. */
  record ReturnBatch(int saleWeek, int returnWeek, long units) {}
}
