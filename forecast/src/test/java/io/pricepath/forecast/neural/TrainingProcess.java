package io.pricepath.forecast.neural;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.IntStream;

/**
 * A training in a JVM of its own, for {@link KilledTrainingTest}: trains the synthetic series with
 * checkpoints in {@code args[0]}, prints each epoch's line as it ends and writes the weights to
 * {@code args[1]}.
 */
public final class TrainingProcess {
  private TrainingProcess() {}

  static final NetworkTraining.Settings SETTINGS =
      new NetworkTraining.Settings(16, 2, 1, 8, 8, 16, 0.005, 0, 5L, 1, "cpu");

  static NetworkTraining.Result train(Path checkpoints, java.util.function.Consumer<String> out) {
    NetworkShape shape = SyntheticSeries.shape(16, 2, 1);
    SyntheticSeries data = SyntheticSeries.draw(3000, 4, 9);
    int[] fit = IntStream.range(0, 10_000).toArray();
    int[] valid = IntStream.range(10_000, 12_000).toArray();
    return NetworkTraining.train(shape, data.x, data.y, fit, valid, SETTINGS, checkpoints, out);
  }

  public static void main(String[] args) throws Exception {
    NetworkTraining.Result r =
        train(Path.of(args[0]), line -> {
          System.out.println(line);
          System.out.flush();
        });
    Files.write(Path.of(args[1]), r.weights().toBytes());
    System.out.println("done");
  }
}
