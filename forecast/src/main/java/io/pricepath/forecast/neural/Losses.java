package io.pricepath.forecast.neural;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Activation;

/**
 * What training minimises and validation reads: the loss of a batch on the engine (demand's
 * Poisson loss, the response prior, the return rate's binomial loss) and the validation figures
 * on plain numbers.
 */
final class Losses {
  private Losses() {}

  /**
   * The labels of a batch as the loss reads them: units (0 where there is none) and whether
   * each row has one, return rates and their weights, and the two normalisers.
   */
  record Targets(
      float[] units, float[] demandMask, float[] rates, float[] rateWeights, int demandRows,
      double weight) {
    static Targets of(Labels labels, int[] rows) {
      int n = rows.length;
      float[] units = new float[n];
      float[] mask = new float[n];
      float[] rates = new float[n];
      float[] weights = new float[n];
      int demandRows = 0;
      double weight = 0;
      for (int r = 0; r < n; r++) {
        int i = rows[r];
        if (labels.hasDemand(i)) {
          units[r] = (float) labels.units()[i];
          mask[r] = 1f;
          demandRows++;
        }
        if (labels.hasReturns(i)) {
          rates[r] = (float) labels.returnRate()[i];
          weights[r] = (float) labels.returnWeight()[i];
          weight += labels.returnWeight()[i];
        }
      }
      return new Targets(units, mask, rates, weights, demandRows, weight);
    }
  }

  /**
   * The batch's loss: the Poisson loss per demand row; the response prior, {@code prior · mean
   * over rows (slope − reference elasticity)²} — the data alone pulls the response flatter than
   * the within-series reference where deeper discounts go to slower sellers; and, with a
   * return-rate output, the binomial loss per unit sold ({@code softplus(z) − r·z} is {@code
   * −r·log σ(z) − (1−r)·log(1−σ(z))}).
   */
  static NDArray loss(
      NDManager m, Pinned pinned, NetworkShape shape, Network.Outputs out, Targets t,
      double prior) {
    NDArray logMu = out.logMean().clip(-15, 15);
    NDArray l =
        logMu.exp().sub(logMu.mul(pinned.floats(m, t.units()))).mul(pinned.floats(m, t.demandMask()))
            .sum().mul(pinned.scalar(m, 1.0 / Math.max(1, t.demandRows())));
    if (prior > 0 && shape.elasticity() > NetworkShape.MIN_REFERENCE) {
      l = l.add(out.slope().sub(pinned.scalar(m, shape.elasticity())).square().mean()
          .mul(pinned.scalar(m, prior)));
    }
    if (shape.returnHead() && t.weight() > 0) {
      NDArray z = out.returnLogit();
      l = l.add(
          Activation.softPlus(z).sub(z.mul(pinned.floats(m, t.rates())))
              .mul(pinned.floats(m, t.rateWeights())).sum()
              .mul(pinned.scalar(m, 1.0 / t.weight())));
    }
    return l;
  }

  /**
   * The demand loss (Poisson, per row), the demand WAPE and the return-rate error (mean absolute
   * difference weighted by units sold; NaN without that output or labels) of {@code weights} on
   * {@code rows}. Early stopping goes by the loss: WAPE rewards forecasts below the mean where
   * units are skewed, and the optimizer needs expected units.
   */
  static double[] validate(
      NDManager root, NetworkShape shape, Weights weights, float[] x, Labels labels, int[] rows) {
    double[][] out = Network.predict(root, shape, weights, x, rows);
    double err = 0;
    double sum = 0;
    double demandLoss = 0;
    int demandRows = 0;
    double returnErr = 0;
    double weight = 0;
    for (int r = 0; r < rows.length; r++) {
      int i = rows[r];
      if (labels.hasDemand(i)) {
        double yr = labels.units()[i];
        double mu = out[0][r];
        err += Math.abs(mu - yr);
        sum += yr;
        demandLoss += mu - yr * StrictMath.log(Math.max(mu, 1e-300));
        demandRows++;
      }
      if (out[1] != null && labels.hasReturns(i)) {
        double w = labels.returnWeight()[i];
        double rate = labels.returnRate()[i];
        returnErr += w * Math.abs(out[1][r] - rate);
        weight += w;
      }
    }
    return new double[] {
      demandRows > 0 ? demandLoss / demandRows : Double.NaN,
      sum > 0 ? err / sum : Double.NaN,
      weight > 0 ? returnErr / weight : Double.NaN
    };
  }
}
