package io.pricepath.forecast.model;

import io.pricepath.forecast.neural.ForecastNetwork;
import java.util.Objects;

/**
 * A model of the transformer family: one output of a {@link ForecastNetwork} (demand, or the
 * return rate) behind the one model contract, so that the backtest, the registry, the gate and
 * the forecast grid serve it as they serve the trees. Demand is non-decreasing in the discount by
 * construction (see {@code Network}).
 */
final class TransformerModel implements TargetModel {
  private static final long serialVersionUID = 1L;

  private final Target target;
  private final ForecastNetwork network;
  private final byte[] bytes;
  private final int featureCount;
  private final Provenance provenance;
  private final String version;
  private final ForecastNetwork.Output output;

  TransformerModel(Target target, ForecastNetwork network, int featureCount, Provenance provenance) {
    this.target = Objects.requireNonNull(target, "target");
    this.output = switch (target) {
      case DEMAND -> ForecastNetwork.Output.DEMAND;
      case RETURN_RATE -> {
        if (!network.hasReturnRate()) {
          throw new IllegalArgumentException(
              "Cannot serve the return rate from a transformer without a return-rate output");
        }
        yield ForecastNetwork.Output.RETURN_RATE;
      }
      default -> throw new IllegalArgumentException(
          "Cannot serve %s from a transformer: it forecasts demand and the return rate"
              .formatted(target.column()));
    };
    this.network = Objects.requireNonNull(network, "network");
    this.bytes = network.bytes();
    this.featureCount = featureCount;
    this.provenance = Objects.requireNonNull(provenance, "provenance");
    this.version = Hashing.version(target, bytes, provenance);
  }

  byte[] bytes() {
    return bytes.clone();
  }

  @Override
  public Target target() {
    return target;
  }

  @Override
  public String version() {
    return version;
  }

  @Override
  public int featureCount() {
    return featureCount;
  }

  @Override
  public void predict(float[] features, int rows, int cols, double[] out) {
    if (cols != featureCount || features.length < (long) rows * cols || out.length < rows) {
      throw new IllegalArgumentException(
          "Cannot predict the %s transformer: %d rows of %d columns given, it reads %d"
              .formatted(target.column(), rows, cols, featureCount));
    }
    network.predict(output, features, rows, out);
  }

  @Override
  public Provenance provenance() {
    return provenance;
  }

  @Override
  public void close() {
    network.close();
  }
}
