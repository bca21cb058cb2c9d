package io.pricepath.forecast.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
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

  @Test
  void predictingByLadderLevelsGivesEveryRowsPrediction() throws Exception {
    Path golden = resource("golden/model-set-2026-11-21");
    try (ModelSet set = ModelSet.load(golden.resolve("models").toString(), new Configuration())) {
      int width = set.layout().width();
      List<String> saved = set.get(Target.DEMAND).provenance().features();
      List<String> lines = Files.readAllLines(golden.resolve("predictions.csv"));
      int levels = 5;
      int[] decision =
          set.layout().discountFeatures().stream()
              .mapToInt(n -> set.layout().names().indexOf(n))
              .toArray();
      int rows = lines.size() * levels;
      float[] x = new float[rows * width];
      java.util.Arrays.fill(x, Float.NaN);
      for (int g = 0; g < lines.size(); g++) {
        String[] cells = lines.get(g).split(",");
        for (int k = 0; k < levels; k++) {
          int row = (g * levels + k) * width;
          for (int j = 0; j < saved.size(); j++) {
            x[row + set.layout().names().indexOf(saved.get(j))] = Float.parseFloat(cells[j]);
          }
          // each level of a run: another discount and log price, nothing else
          x[row + decision[0]] = 0.1f * k;
          x[row + decision[1]] += (float) Math.log(1 - 0.1 * k);
        }
      }
      for (Target t : List.of(Target.DEMAND, Target.RETURN_RATE, Target.RETURN_WEEKS)) {
        double[] each = new double[rows];
        double[] byLevels = new double[rows];
        set.get(t).predict(x, rows, width, each);
        set.get(t).predictLevels(x, rows, width, levels, decision, byLevels);
        assertThat(byLevels).as(t.column()).containsExactly(each);
      }
      // the trees of this older demand model read the discount: each row is evaluated
      assertThat(set.get(Target.DEMAND).levelsShareTrees(decision)).isFalse();
      double[] d = new double[rows];
      assertThatThrownBy(() -> set.get(Target.DEMAND).predictLevels(x, rows - 1, width, levels, decision, d))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("not runs of 5 levels");
    }
  }

  private static Path resource(String name) throws URISyntaxException {
    return Path.of(ModelGoldenTest.class.getClassLoader().getResource(name).toURI());
  }
}
