package io.pricepath.jobs.policy;

/** The pricing policies a policy backtest compares, in the order it reports them. */
public enum Policy {
  /** The optimizer on forecasts of models learnt from the history realised so far. */
  PRICEPATH("pricepath", true),
  /** The same optimizer on the simulator's true expected demand, returns, costs and residual values. */
  ORACLE("oracle", true),
  /** Every article keeps its live discount all season. */
  NO_MARKDOWN("no-markdown", false),
  /** A fixed markdown cadence by weeks since launch (see {@link RuleLadder}). */
  RULE_LADDER("rule-ladder", false);

  private final String label;
  private final boolean optimizes;

  Policy(String label, boolean optimizes) {
    this.label = label;
    this.optimizes = optimizes;
  }

  /** Name in reports and folder names, e.g. {@code no-markdown}. */
  public String label() {
    return label;
  }

  /** Whether the policy runs pricepath's optimizer every week (and so needs its own dataset root). */
  public boolean optimizes() {
    return optimizes;
  }
}
