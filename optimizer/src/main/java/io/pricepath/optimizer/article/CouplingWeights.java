package io.pricepath.optimizer.article;

/**
 * The price, per week, that the Lagrangian multipliers put on an article's contribution to the
 * coupling rows. Every coupling row of the markdown problem is linear in the week's sales {@code
 * s}: its contribution in week {@code t} is {@code (a + b·d)·p0·s + c·s}, with {@code d} the
 * discount and {@code p0} the black price. Summed over rows with multipliers λ, the article's
 * objective becomes {@code profit − Σ_t [(A_t + B_t·d_t)·p0_t·s_t + C_t·s_t] − constant}.
 *
 * @param a {@code [T]} multiplier-weighted sum of the rows' {@code a} terms
 * @param b {@code [T]} multiplier-weighted sum of the rows' {@code b} terms
 * @param c {@code [T]} multiplier-weighted sum of the rows' {@code c} terms
 */
public record CouplingWeights(double[] a, double[] b, double[] c) {

  public CouplingWeights {
    if (a.length != b.length || b.length != c.length) {
      throw new IllegalArgumentException(
          "coupling weights must cover the same weeks (a=%d, b=%d, c=%d)".formatted(a.length, b.length, c.length));
    }
  }

  /** No coupling: the plain profit-maximising problem. */
  public static CouplingWeights none(int weeks) {
    return new CouplingWeights(new double[weeks], new double[weeks], new double[weeks]);
  }
}
