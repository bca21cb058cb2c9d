package io.pricepath.optimizer.pooled;

import io.pricepath.optimizer.article.ArticleProblem;
import io.pricepath.optimizer.article.ArticleSolver;
import io.pricepath.optimizer.article.Rules;

/**
 * The business rules of one market's path as week-to-week transitions, exactly as {@link
 * ArticleSolver} states them: a locked week takes its locked level (never a change); a no-touch
 * week repeats the previous level (the live one in week 0); a free week may repeat the previous
 * level or move, which counts as a change and must stay within the level bounds, within the steps
 * per week and, when markdown-only, go deeper.
 */
final class MarketRules {

  private MarketRules() {}

  /** Rejects problems whose live or locked levels are not on the ladder, as the single-market solver does. */
  static void validate(ArticleProblem p) {
    Rules rules = p.rules();
    int levels = p.levels();
    if (rules.liveLevel() < 0 || rules.liveLevel() >= levels) {
      throw new IllegalArgumentException(
          "Cannot solve article %s: live level is not on its ladder of %d levels (%d)"
              .formatted(p.key(), levels, rules.liveLevel()));
    }
    int[] locked = rules.locked();
    for (int t = 0; t < locked.length; t++) {
      if (locked[t] < -1 || locked[t] >= levels) {
        throw new IllegalArgumentException(
            "Cannot solve article %s: locked level of week %d is not on its ladder of %d levels (%d)"
                .formatted(p.key(), t, levels, locked[t]));
      }
    }
  }

  /** Whether week {@code t} is free: neither locked nor no-touch. */
  static boolean isFree(Rules rules, int t) {
    return rules.locked()[t] < 0 && !rules.noTouch()[t];
  }

  /** Whether week {@code t} may take level {@code k} after level {@code prev}. */
  static boolean allowed(Rules rules, int levels, int t, int prev, int k) {
    if (rules.locked()[t] >= 0) {
      return k == rules.locked()[t];
    }
    if (rules.noTouch()[t] || k == prev) {
      return k == prev;
    }
    return k >= rules.minLevel()
        && k <= Math.min(rules.maxLevel(), levels - 1)
        && (!rules.markdownOnly() || k > prev)
        && Math.abs(k - prev) <= rules.maxStepsPerWeek();
  }

  /** Number of free weeks up to the exit week: the most changes any path can make. */
  static int freeWeeks(Rules rules) {
    int free = 0;
    for (int t = 0; t <= rules.lastSaleWeek(); t++) {
      if (isFree(rules, t)) {
        free++;
      }
    }
    return free;
  }
}
