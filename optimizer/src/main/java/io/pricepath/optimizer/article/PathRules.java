package io.pricepath.optimizer.article;

import java.util.Optional;

/**
 * The business rules of one article as week-to-week transitions, shared by the solver and the
 * admissibility check. How rules combine (the contract is restated on {@link ArticleSolver}):
 *
 * <ul>
 *   <li>a locked week takes its locked level, whatever the other rules say (a manager's override
 *       wins), and moving into it never counts as a change;
 *   <li>a no-touch week repeats the previous week's level (the live level for week 0);
 *   <li>a free week may always repeat the previous level; moving to another level counts as a
 *       change and must stay within [minLevel, maxLevel], within maxStepsPerWeek ladder steps, and
 *       go deeper when markdown-only;
 *   <li>weeks after the exit week repeat the exit week's level (the live level when the exit week
 *       is -1); nothing sells in them and their locks are ignored.
 * </ul>
 *
 * Repeating the previous level is always allowed, so every article has at least one admissible
 * path, whatever its rules and locks. Public so that solvers in other packages (the pooled
 * solver) state the rules through this one class.
 */
public final class PathRules {

  static final int FREE = 0;
  static final int LOCKED = 1;
  static final int NO_TOUCH = 2;

  private PathRules() {}

  /**
   * Rejects problems whose levels are not on the ladder.
   *
   * @throws IllegalArgumentException when the live level or a locked level is not on the ladder
   */
  public static void validate(ArticleProblem p) {
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

  /** Kind of week {@code t} (only meaningful up to the exit week). */
  static int kind(Rules rules, int t) {
    if (rules.locked()[t] >= 0) {
      return LOCKED;
    }
    return rules.noTouch()[t] ? NO_TOUCH : FREE;
  }

  /** Whether week {@code t} is free: neither locked nor no-touch (only meaningful up to the exit week). */
  public static boolean isFree(Rules rules, int t) {
    return kind(rules, t) == FREE;
  }

  /** Whether week {@code t} may take level {@code k} after level {@code prev}. */
  public static boolean allowed(Rules rules, int levels, int t, int prev, int k) {
    return switch (kind(rules, t)) {
      case LOCKED -> k == rules.locked()[t];
      case NO_TOUCH -> k == prev;
      default -> k == prev || moveAllowed(rules, levels, prev, k);
    };
  }

  /** Whether week {@code t} taking level {@code k} after {@code prev} counts as a change. */
  public static boolean isChange(Rules rules, int t, int prev, int k) {
    return k != prev && kind(rules, t) == FREE;
  }

  /** Number of free weeks up to the exit week: the most changes any path can make. */
  public static int freeWeeks(Rules rules) {
    int free = 0;
    for (int t = 0; t <= rules.lastSaleWeek(); t++) {
      if (kind(rules, t) == FREE) {
        free++;
      }
    }
    return free;
  }

  private static boolean moveAllowed(Rules rules, int levels, int prev, int k) {
    return k >= rules.minLevel()
        && k <= Math.min(rules.maxLevel(), levels - 1)
        && (!rules.markdownOnly() || k > prev)
        && Math.abs(k - prev) <= rules.maxStepsPerWeek();
  }

  /** Why {@code levels} is not an admissible path of {@code p}, or empty when it is. */
  public static Optional<String> violation(ArticleProblem p, int[] levels) {
    validate(p);
    Rules rules = p.rules();
    int weeks = p.weeks();
    int ladder = p.levels();
    if (levels.length != weeks) {
      return Optional.of("path covers %d weeks, the horizon %d".formatted(levels.length, weeks));
    }
    int prev = rules.liveLevel();
    int changes = 0;
    int exit = rules.lastSaleWeek();
    for (int t = 0; t < weeks; t++) {
      int k = levels[t];
      if (k < 0 || k >= ladder) {
        return Optional.of("week %d: level %d is not on the ladder of %d levels".formatted(t, k, ladder));
      }
      if (t > exit) {
        if (k != prev) {
          return Optional.of(
              "week %d: level %d differs from level %d of the exit week %d".formatted(t, k, prev, exit));
        }
        continue;
      }
      switch (kind(rules, t)) {
        case LOCKED -> {
          if (k != rules.locked()[t]) {
            return Optional.of("week %d: level %d differs from the locked level %d".formatted(t, k, rules.locked()[t]));
          }
        }
        case NO_TOUCH -> {
          if (k != prev) {
            return Optional.of("week %d: level %d differs from level %d before this no-touch week".formatted(t, k, prev));
          }
        }
        default -> {
          if (k != prev) {
            if (k < rules.minLevel() || k > rules.maxLevel()) {
              return Optional.of(
                  "week %d: level %d is outside [%d, %d]".formatted(t, k, rules.minLevel(), rules.maxLevel()));
            }
            if (rules.markdownOnly() && k < prev) {
              return Optional.of("week %d: level %d raises the price after level %d (markdown only)".formatted(t, k, prev));
            }
            if (Math.abs(k - prev) > rules.maxStepsPerWeek()) {
              return Optional.of(
                  "week %d: level %d moves more than %d steps from level %d".formatted(t, k, rules.maxStepsPerWeek(), prev));
            }
            changes++;
            if (changes > rules.maxChanges()) {
              return Optional.of("week %d: change %d exceeds the most %d changes".formatted(t, changes, rules.maxChanges()));
            }
          }
        }
      }
      prev = k;
    }
    return Optional.empty();
  }
}
