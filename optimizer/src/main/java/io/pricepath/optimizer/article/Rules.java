package io.pricepath.optimizer.article;

import java.io.Serializable;
import java.util.Arrays;

/**
 * Business rules of one article over the horizon. Levels are ladder indexes.
 *
 * @param liveLevel ladder index of the discount live before the plan week (the first week may
 *     not go below it when {@code markdownOnly}); 0 when none
 * @param markdownOnly discounts never decrease from week to week (and never below {@code
 *     liveLevel})
 * @param maxStepsPerWeek most ladder steps a discount may move in one week (&ge; 1)
 * @param maxChanges most weeks in the horizon whose discount differs from the week before (the
 *     first week compares with {@code liveLevel}); {@code Integer.MAX_VALUE} for no limit
 * @param minLevel lowest allowed ladder index
 * @param maxLevel highest allowed ladder index
 * @param noTouch {@code [T]}: true where the discount must equal the previous week's (the live
 *     one for week 0)
 * @param lastSaleWeek index of the last week the article is on sale (its exit week), {@code T-1}
 *     when it stays on sale through the horizon; after it nothing sells and the stock left is worth
 *     the residual value
 * @param locked {@code [T]}: a ladder index fixed by a manager override, or -1 where free
 */
public record Rules(
    int liveLevel,
    boolean markdownOnly,
    int maxStepsPerWeek,
    int maxChanges,
    int minLevel,
    int maxLevel,
    boolean[] noTouch,
    int lastSaleWeek,
    int[] locked)
    implements Serializable {

  public Rules {
    if (noTouch.length != locked.length) {
      throw new IllegalArgumentException(
          "noTouch (%d weeks) and locked (%d weeks) must cover the same horizon"
              .formatted(noTouch.length, locked.length));
    }
    if (maxStepsPerWeek < 1) {
      throw new IllegalArgumentException("maxStepsPerWeek must be >= 1 (%d)".formatted(maxStepsPerWeek));
    }
    if (maxChanges < 0) {
      throw new IllegalArgumentException("maxChanges must be >= 0 (%d)".formatted(maxChanges));
    }
    if (minLevel < 0 || maxLevel < minLevel) {
      throw new IllegalArgumentException(
          "level bounds must satisfy 0 <= min <= max (min=%d, max=%d)".formatted(minLevel, maxLevel));
    }
    if (lastSaleWeek < -1 || lastSaleWeek >= noTouch.length) {
      throw new IllegalArgumentException(
          "lastSaleWeek must be in [-1, %d] (%d)".formatted(noTouch.length - 1, lastSaleWeek));
    }
  }

  /** Rules that allow every markdown-only path on a ladder of {@code levels} over {@code weeks}. */
  public static Rules markdownOnly(int weeks, int levels) {
    int[] locked = new int[weeks];
    Arrays.fill(locked, -1);
    return new Rules(0, true, levels, Integer.MAX_VALUE, 0, levels - 1, new boolean[weeks], weeks - 1, locked);
  }

  /** Number of weeks these rules cover. */
  public int weeks() {
    return locked.length;
  }
}
