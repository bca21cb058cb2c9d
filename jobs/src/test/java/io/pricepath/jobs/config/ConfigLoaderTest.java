package io.pricepath.jobs.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigLoaderTest {
  @TempDir Path dir;

  @Test
  void defaultsComeFromConfLocalConf() {
    RunConfig config = ConfigLoader.load(null, List.of());
    assertThat(config.sparkMaster()).isEqualTo("local[*]");
    assertThat(config.horizon()).isEqualTo(12);
    assertThat(config.ladder()).containsExactly(0.0, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7);
    assertThat(config.planWeek()).isNull();
    assertThat(config.rules().markdownOnly()).isTrue();
    assertThat(config.coupling()).extracting(RunConfig.CouplingConfig::kind)
        .contains("discount-rate-max", "discount-rate-min");
  }

  @Test
  void setOverridesWinOverTheConfFileWhichWinsOverDefaults() throws Exception {
    Path file = dir.resolve("run.conf");
    Files.writeString(file, "pricepath { plan { horizon = 6, week = \"2025-03-03\" }, rules.max-changes = 2 }");
    RunConfig config = ConfigLoader.load(file.toString(), List.of("plan.horizon=4", "pricepath.optimizer.max-iterations=7"));
    assertThat(config.horizon()).isEqualTo(4);
    assertThat(config.planWeek()).isEqualTo(LocalDate.of(2025, 3, 3));
    assertThat(config.rules().maxChanges()).isEqualTo(2);
    assertThat(config.optimizer().maxIterations()).isEqualTo(7);
    assertThat(config.forecast().rounds()).isEqualTo(400);
  }

  @Test
  void listsAndObjectsCanBeSetOnTheCommandLine() {
    RunConfig config = ConfigLoader.load(null, List.of(
        "plan.ladder=[0, 0.2, 0.4]",
        "coupling=[{kind = markdown-budget, market = DE, target = 5000}]"));
    assertThat(config.ladder()).containsExactly(0.0, 0.2, 0.4);
    assertThat(config.coupling()).containsExactly(new RunConfig.CouplingConfig("markdown-budget", 5000, "DE", null, -1));
    assertThat(ConfigLoader.load(null, List.of("coupling=[{kind = revenue-min, target = 9000, penalty = 0.5}]"))
        .coupling().get(0).penalty()).isEqualTo(0.5);
  }

  @Test
  void aPlanWeekThatIsNotAMondayIsRejectedWithTheMondayToUse() {
    assertThatThrownBy(() -> ConfigLoader.load(null, List.of("plan.week=2025-03-05")))
        .isInstanceOf(ConfigException.class)
        .hasMessage("Cannot use plan.week: weeks are named by their Monday, 2025-03-05 is a WEDNESDAY (use 2025-03-03)");
  }

  @Test
  void badValuesNameTheKeyAndTheRule() {
    assertThatThrownBy(() -> ConfigLoader.load(null, List.of("plan.ladder=[0, 0.3, 0.2]")))
        .hasMessage("Cannot use config plan.ladder = [0.0, 0.3, 0.2]: must be strictly ascending");
    assertThatThrownBy(() -> ConfigLoader.load(null, List.of("plan.horizon=0")))
        .hasMessage("Cannot use config plan.horizon = 0: must be between 1 and 104 weeks");
    assertThatThrownBy(() -> ConfigLoader.load(null, List.of("coupling=[{kind = margin-max, target = 1}]")))
        .hasMessage("Cannot use config coupling.kind = margin-max: must be one of "
            + "[discount-rate-max, discount-rate-min, markdown-budget, revenue-min, sell-through-min]");
    assertThatThrownBy(() -> ConfigLoader.load(null, List.of("rules.max-steps-per-week=0")))
        .hasMessage("Cannot use config rules.max-steps-per-week = 0: must be >= 1");
    assertThatThrownBy(() -> ConfigLoader.load(null, List.of("forecast.booster-training=executors")))
        .hasMessage("Cannot use config forecast.booster-training = executors: must be auto, driver or spark");
    assertThatThrownBy(() -> ConfigLoader.load(null, List.of("forecast.tracker-timeout=0")))
        .hasMessage("Cannot use config forecast.tracker-timeout = 0: must be >= 1 (seconds)");
  }

  @Test
  void aMissingConfFileOrAMalformedSetIsAClearError() {
    assertThatThrownBy(() -> ConfigLoader.load(dir.resolve("nope.conf").toString(), List.of()))
        .hasMessageStartingWith("Cannot read config file ").hasMessageEndingWith("nope.conf: no such file (pass an existing --conf FILE)");
    assertThatThrownBy(() -> ConfigLoader.load(null, List.of("horizon")))
        .hasMessage("Cannot use --set horizon: expected key=value, e.g. --set plan.horizon=8");
    assertThatThrownBy(() -> ConfigLoader.load(null, List.of("plan.horizon=twelve")))
        .isInstanceOf(ConfigException.class).hasMessageStartingWith("Cannot use config: ").hasMessageContaining("plan.horizon");
  }
  @Test
  void aMisspeltKeyIsRefusedWithTheNearestKnownOne() throws Exception {
    assertThatThrownBy(() -> ConfigLoader.load(null, List.of("rules.max-discont=0.5")))
        .isInstanceOf(ConfigException.class)
        .hasMessage("Cannot use --set rules.max-discont=0.5: no setting is called rules.max-discont; did you mean "
            + "rules.max-discount? (every key is listed in conf/local.conf)");
    Path file = dir.resolve("typo.conf");
    Files.writeString(file, "pricepath { plan { horizn = 4 } }");
    assertThatThrownBy(() -> ConfigLoader.load(file.toString(), List.of()))
        .isInstanceOf(ConfigException.class)
        .hasMessageStartingWith("Cannot use config file " + file + ": no setting is called plan.horizn; did you mean "
            + "plan.horizon?");
    Files.writeString(file, "plan { horizon = 4 }");
    assertThatThrownBy(() -> ConfigLoader.load(file.toString(), List.of()))
        .isInstanceOf(ConfigException.class)
        .hasMessageStartingWith("Cannot use config file " + file + ": its key plan is outside the pricepath { … } block");
    assertThatThrownBy(() -> ConfigLoader.load(null, List.of("rules.by-category.shoes.max-discont=0.5")))
        .hasMessageContaining("no setting is called rules.by-category.shoes.max-discont; did you mean max-discount?");
    assertThatThrownBy(() -> ConfigLoader.load(null, List.of("coupling=[{kind = markdown-budget, traget = 5}]")))
        .hasMessageContaining("no setting is called coupling[0].traget; did you mean target?");
    assertThatThrownBy(() -> ConfigLoader.load(null, List.of("forecast={rounds = 10, max-dept = 3}")))
        .hasMessageContaining("no setting is called forecast.max-dept; did you mean forecast.max-depth?");
  }

  @Test
  void openBlocksTakeTheirOwnKeys() throws Exception {
    Path file = dir.resolve("run.conf");
    Files.writeString(file, """
        pricepath {
          spark.conf { "spark.hadoop.fs.s3a.endpoint" = "http://127.0.0.1:9000" }
          rules.by-category { shoes { max-discount = 0.5, max-changes = 2 } }
          coupling = [{ kind = revenue-min, target = 9000, market = DE, category = shoes, week = 1, penalty = 2 }]
          stock { pools = [[DE, AT]] }
        }""");
    RunConfig config = ConfigLoader.load(file.toString(), List.of("spark.conf.spark.sql.adaptive.enabled=false"));
    assertThat(config.categoryRules().get("shoes").maxDiscount()).isEqualTo(0.5);
    assertThat(config.coupling()).hasSize(1);
  }
}
