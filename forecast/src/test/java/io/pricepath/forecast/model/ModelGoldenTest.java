package io.pricepath.forecast.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;

/**
 * Models saved by older code keep loading and predicting the same: a model set saved by the model
 * code of 2026-11-21 (four margin terms in its hyperparameters, before they became one family)
 * and the predictions that code made.
 */
class ModelGoldenTest {
  @Test
  // within float precision: the boosters predict in float32
  void aModelSetOfTheFourTermCodeLoadsAndPredictsAsItDid() throws Exception {
    Path golden = resource("golden/model-set-2026-11-21");
    try (ModelSet set = ModelSet.load(golden.resolve("models").toString(), new Configuration())) {
      // the rows were written in the layout of 2026-11-21; today's layout has more features:
      // each old column goes where today's layout keeps that feature
      int width = set.layout().width();
      List<String> saved = set.get(Target.DEMAND).provenance().features();
      List<String> lines = Files.readAllLines(golden.resolve("predictions.csv"));
      int rows = lines.size();
      float[] x = new float[rows * width];
      java.util.Arrays.fill(x, Float.NaN);
      double[] demand = new double[rows];
      double[] rate = new double[rows];
      for (int i = 0; i < rows; i++) {
        String[] cells = lines.get(i).split(",");
        assertThat(cells).hasSize(saved.size() + 2);
        for (int j = 0; j < saved.size(); j++) {
          x[i * width + set.layout().names().indexOf(saved.get(j))] = Float.parseFloat(cells[j]);
        }
        demand[i] = Double.parseDouble(cells[saved.size()]);
        rate[i] = Double.parseDouble(cells[saved.size() + 1]);
      }
      double[] d = new double[rows];
      double[] r = new double[rows];
      set.get(Target.DEMAND).predict(x, rows, width, d);
      set.get(Target.RETURN_RATE).predict(x, rows, width, r);
      for (int i = 0; i < rows; i++) {
        assertThat(d[i]).as("demand row %d", i).isCloseTo(demand[i], within(1e-6 * demand[i]));
        assertThat(r[i]).as("return rate row %d", i).isCloseTo(rate[i], within(1e-6 * rate[i]));
      }
      assertThat(set.layout().width()).isGreaterThan(set.get(Target.DEMAND).provenance().features().size());
      assertThat(
              MarginTerms.read(set.get(Target.DEMAND).provenance().hyperparameters(), width).terms())
          .extracting(MarginTerm::name)
          .containsExactly("base_margin", "response", "season", "level");
    }
  }

  private static Path resource(String name) throws URISyntaxException {
    return Path.of(ModelGoldenTest.class.getClassLoader().getResource(name).toURI());
  }
}
