package io.pricepath.forecast.registry;

import static io.pricepath.forecast.registry.RegistryFixtures.metrics;
import static io.pricepath.forecast.registry.RegistryFixtures.set;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pricepath.forecast.model.ModelSet;
import io.pricepath.forecast.model.Target;
import io.pricepath.forecast.registry.RegistryEntry.DecidedBy;
import io.pricepath.forecast.registry.RegistryEntry.Status;
import io.pricepath.forecast.registry.RegistryEntry.StatusChange;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Registering, deciding and serving model sets in a local registry folder. */
class ModelRegistryTest {
  private static final Configuration HADOOP = new Configuration();
  private static final Instant START = Instant.parse("2024-10-07T06:00:00Z");
  private static final ApprovalRule RULE = ApprovalRule.of(0.02);
  private static final String ME = System.getProperty("user.name", "unknown");

  @TempDir Path dir;
  private String root;
  private ModelRegistry registry;

  @BeforeEach
  void open() {
    root = dir.resolve("registry").toString();
    registry = ModelRegistry.open(root, HADOOP, new RegistryFixtures.TickingClock(START));
  }

  @AfterEach
  void close() {
    registry.close();
  }

  /** Saves {@code set} into a training output folder, as a run does, and returns the folder. */
  private String saved(ModelSet set) {
    String folder = dir.resolve("trained-" + set.version()).toString();
    set.save(folder, HADOOP);
    return folder;
  }

  private static Instant minute(int n) {
    return START.plusSeconds(60L * n);
  }

  @Test
  void registersACopyOfTheSetAsPending() throws Exception {
    ModelSet set = set(3.0, "2024-10-07");
    String trained = saved(set);
    RegistryEntry entry =
        registry.register(trained, metrics(0.6, 0.65, 0.7), "weekly run 2024-W41");

    assertThat(entry.version()).isEqualTo(set.version());
    assertThat(entry.status()).isEqualTo(Status.PENDING);
    assertThat(entry.reason()).isNull();
    assertThat(entry.decidedBy()).isNull();
    assertThat(entry.decidedAt()).isNull();
    assertThat(entry.createdAt()).isEqualTo(START);
    assertThat(entry.planWeek()).isEqualTo("2024-10-07");
    assertThat(entry.note()).isEqualTo("weekly run 2024-W41");
    assertThat(entry.metrics()).isEqualTo(metrics(0.6, 0.65, 0.7));
    assertThat(entry.demandWape()).hasValue(0.6);
    assertThat(entry.serving()).isFalse();
    assertThat(entry.history()).isEmpty();
    assertThat(entry.targetVersions().keySet())
        .containsExactly(
            "demand",
            "return_rate",
            "return_weeks",
            "fulfillment_cost_per_unit",
            "residual_value_per_unit");
    for (Target t : Target.values()) {
      assertThat(entry.targetVersions().get(t.column())).isEqualTo(set.get(t).version());
    }
    RegistryEntry.TargetSummary demand = entry.targets().get(0);
    assertThat(demand)
        .isEqualTo(
            new RegistryEntry.TargetSummary(
                "demand",
                set.get(Target.DEMAND).version(),
                "constant",
                "2024-01-29",
                "2024-09-30",
                120,
                "rows=120;hash=0",
                Map.of("holdout_wape", 0.5)));

    // the registry holds its own copy: the training folder can go
    deleteTree(Path.of(trained));
    String models = registry.modelDir(set.version().substring(0, 6));
    assertThat(models).isEqualTo(root + "/versions/" + set.version() + "/models");
    try (ModelSet loaded = ModelSet.load(models, HADOOP)) {
      assertThat(loaded.version()).isEqualTo(set.version());
    }
    assertThat(registry.list()).containsExactly(entry);
    assertThat(registry.approved()).isEmpty();
    // nothing but the models, the status and the entry; no checksum sidecars, no staging left
    try (var files = Files.walk(dir.resolve("registry"))) {
      assertThat(
              files
                  .filter(Files::isRegularFile)
                  .map(p -> dir.resolve("registry").relativize(p).toString()))
          .containsExactlyInAnyOrder(
              "versions/%s/entry.json".formatted(set.version()),
              "versions/%s/status.json".formatted(set.version()),
              "versions/%s/models/demand/provenance.json".formatted(set.version()),
              "versions/%s/models/return_rate/provenance.json".formatted(set.version()),
              "versions/%s/models/return_weeks/provenance.json".formatted(set.version()),
              "versions/%s/models/fulfillment_cost_per_unit/provenance.json"
                  .formatted(set.version()),
              "versions/%s/models/residual_value_per_unit/provenance.json"
                  .formatted(set.version()));
    }
  }

  @Test
  void registeringTheSameSetTwiceReturnsTheExistingEntry() {
    ModelSet set = set(3.0, "2024-10-07");
    RegistryEntry first = registry.register(saved(set), metrics(0.6, 0.65, 0.7), "first");
    RegistryEntry again = registry.register(saved(set), metrics(0.9, 0.65, 0.7), "second");
    assertThat(again).isEqualTo(first);
    assertThat(registry.list()).hasSize(1);

    RegistryEntry approved = registry.gate(set.version(), RULE);
    assertThat(registry.register(saved(set), Map.of(), "third")).isEqualTo(approved);
  }

  @Test
  void theGateApprovesTheFirstSetThatBeatsTheBaselines() {
    ModelSet a = set(3.0, "2024-10-07");
    registry.register(saved(a), metrics(0.6, 0.65, 0.7), "");
    RegistryEntry gated = registry.gate(a.version(), RULE);

    assertThat(gated.status()).isEqualTo(Status.APPROVED);
    assertThat(gated.reason())
        .isEqualTo(
            "demand WAPE 0.600 beats the recent-mean baseline (0.650) and the log-log elasticity"
                + " baseline (0.700); there is no approved version to compare with");
    assertThat(gated.decidedBy()).isEqualTo(DecidedBy.GATE);
    assertThat(gated.actor()).isEqualTo("gate");
    assertThat(gated.decidedAt()).isEqualTo(minute(1));
    assertThat(gated.serving()).isTrue();
    assertThat(gated.history())
        .containsExactly(
            new StatusChange(Status.APPROVED, gated.reason(), DecidedBy.GATE, "gate", minute(1)));
    assertThat(registry.approved()).contains(gated);
  }

  @Test
  void aRejectedCandidateLeavesThePreviousApprovedVersionServing() {
    ModelSet a = set(3.0, "2024-09-30");
    ModelSet b = set(4.0, "2024-10-07");
    registry.register(saved(a), metrics(0.594, 0.8, 0.9), "");
    RegistryEntry approvedA = registry.gate(a.version(), RULE);
    registry.register(saved(b), metrics(0.712, 0.8, 0.9), "");

    RegistryEntry rejected = registry.gate(b.version(), RULE);
    assertThat(rejected.status()).isEqualTo(Status.REJECTED);
    assertThat(rejected.reason())
        .isEqualTo(
            "demand WAPE 0.712 is worse than the approved version %s's 0.594 by 19.9 %% (tolerance 2.0 %%)"
                .formatted(a.version().substring(0, 8)));
    assertThat(rejected.serving()).isFalse();
    assertThat(registry.approved()).contains(approvedA);
    assertThat(registry.list())
        .extracting(RegistryEntry::version, RegistryEntry::serving)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple(b.version(), false),
            org.assertj.core.groups.Tuple.tuple(a.version(), true));

    // the gate never overrides a decision
    assertThat(registry.gate(b.version(), ApprovalRule.of(10))).isEqualTo(rejected);
  }

  @Test
  void aCandidateWithinTheToleranceTakesOver() {
    ModelSet a = set(3.0, "2024-09-30");
    ModelSet b = set(4.0, "2024-10-07");
    registry.register(saved(a), metrics(0.594, 0.8, 0.9), "");
    registry.gate(a.version(), RULE);
    registry.register(saved(b), metrics(0.600, 0.8, 0.9), "");
    RegistryEntry gated = registry.gate(b.version(), RULE);
    assertThat(gated.reason())
        .isEqualTo(
            ("demand WAPE 0.600 beats the recent-mean baseline (0.800) and the log-log elasticity"
                    + " baseline (0.900) and is worse than the approved version %s's 0.594 by only"
                    + " 1.0 %% (tolerance 2.0 %%)")
                .formatted(a.version().substring(0, 8)));
    assertThat(registry.approved().map(RegistryEntry::version)).contains(b.version());
    assertThat(registry.show(a.version()).status()).isEqualTo(Status.APPROVED);
    assertThat(registry.show(a.version()).serving()).isFalse();
  }

  @Test
  void aCandidateThatLosesToABaselineIsRejected() {
    ModelSet a = set(3.0, "2024-10-07");
    registry.register(saved(a), metrics(0.71, 0.65, 0.8), "");
    RegistryEntry gated = registry.gate(a.version(), RULE);
    assertThat(gated.status()).isEqualTo(Status.REJECTED);
    assertThat(gated.reason())
        .isEqualTo("demand WAPE 0.710 does not beat the recent-mean baseline (0.650)");
    assertThat(registry.approved()).isEmpty();
  }

  @Test
  void peopleApproveAndRejectByHandAndTheServingSetFollows() {
    ModelSet a = set(3.0, "2024-09-30");
    ModelSet b = set(4.0, "2024-10-07");
    registry.register(saved(a), metrics(0.594, 0.8, 0.9), "");
    registry.gate(a.version(), RULE); // minute 1
    registry.register(saved(b), metrics(0.712, 0.8, 0.9), "");
    registry.gate(b.version(), RULE); // rejected, minute 3

    assertThatThrownBy(() -> registry.approve(b.version(), " "))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "Cannot approve model version %s: it was rejected (demand WAPE 0.712 is worse than the"
                + " approved version %s's 0.594 by 19.9 %% (tolerance 2.0 %%)); give a reason to"
                + " approve it anyway",
            b.version(), a.version().substring(0, 8));

    RegistryEntry overridden =
        registry.approve(b.version(), "promotion weeks inflate the WAPE; checked by hand");
    assertThat(overridden.status()).isEqualTo(Status.APPROVED);
    assertThat(overridden.decidedBy()).isEqualTo(DecidedBy.PERSON);
    assertThat(overridden.actor()).isEqualTo(ME);
    assertThat(overridden.decidedAt()).isEqualTo(minute(4));
    assertThat(overridden.serving()).isTrue();
    assertThat(overridden.history())
        .extracting(StatusChange::status, StatusChange::decidedBy)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple(Status.REJECTED, DecidedBy.GATE),
            org.assertj.core.groups.Tuple.tuple(Status.APPROVED, DecidedBy.PERSON));
    assertThat(registry.approved().map(RegistryEntry::version)).contains(b.version());

    assertThatThrownBy(() -> registry.reject(b.version(), ""))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "Cannot reject model version %s: no reason given (it is recorded with the decision)",
            b.version());
    RegistryEntry pulled = registry.reject(b.version(), "stock-outs in DE not censored");
    assertThat(pulled.status()).isEqualTo(Status.REJECTED);
    assertThat(pulled.reason()).isEqualTo("stock-outs in DE not censored");
    assertThat(pulled.serving()).isFalse();
    // the version approved before it serves again
    assertThat(registry.approved().map(RegistryEntry::version)).contains(a.version());

    // approving an approved version again makes it serve again; blank reason is fine then
    registry.approve(b.version(), "fixed upstream");
    assertThat(registry.approved().map(RegistryEntry::version)).contains(b.version());
    RegistryEntry again = registry.approve(a.version(), null);
    assertThat(again.reason()).isEqualTo("approved by hand");
    assertThat(again.serving()).isTrue();
    registry.reject(a.version(), "rolled back");
    assertThat(registry.approved().map(RegistryEntry::version)).contains(b.version());
    registry.reject(b.version(), "nothing good left");
    assertThat(registry.approved()).isEmpty();
  }

  @Test
  void decisionsSurviveReopeningTheRegistry() {
    ModelSet a = set(3.0, "2024-09-30");
    registry.register(saved(a), metrics(0.6, 0.8, 0.9), "");
    RegistryEntry gated = registry.gate(a.version(), RULE);
    registry.close();
    registry = ModelRegistry.open("file://" + root, HADOOP);
    assertThat(registry.approved()).contains(gated);
    assertThat(registry.uri()).isEqualTo("file://" + root);
    assertThat(registry.modelDir(a.version()))
        .isEqualTo("file:" + root + "/versions/" + a.version() + "/models");
  }

  @Test
  void findsVersionsByUniquePrefixAndSaysWhyNot() {
    // two sets whose versions share their first character
    Map<Character, ModelSet> byFirst = new HashMap<>();
    List<ModelSet> pair = new ArrayList<>();
    for (int i = 0; pair.isEmpty(); i++) {
      ModelSet s = set(10 + i, "2024-10-07");
      ModelSet other = byFirst.putIfAbsent(s.version().charAt(0), s);
      if (other != null) {
        pair.add(other);
        pair.add(s);
      }
    }
    String v1 = pair.get(0).version();
    String v2 = pair.get(1).version();
    registry.register(saved(pair.get(0)), Map.of(), "");
    registry.register(saved(pair.get(1)), Map.of(), "");
    String[] sorted = v1.compareTo(v2) < 0 ? new String[] {v1, v2} : new String[] {v2, v1};

    int common = 0;
    while (v1.charAt(common) == v2.charAt(common)) {
      common++;
    }
    assertThat(registry.show(v1.substring(0, common + 1)).version()).isEqualTo(v1);
    assertThat(registry.show(" " + v2 + " ").version()).isEqualTo(v2);
    assertThatThrownBy(() -> registry.show(v1.substring(0, 1)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "Cannot find model version %s in registry %s: the prefix matches 2 versions (%s, %s);"
                + " give more characters",
            v1.substring(0, 1), root, sorted[0], sorted[1]);
    String unknown = v1.charAt(0) == 'f' ? "0zz" : "fzz";
    assertThatThrownBy(() -> registry.approve(unknown, "x"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "Cannot find model version %s in registry %s: no such version (versions: %s, %s)",
            unknown, root, sorted[0], sorted[1]);
    assertThatThrownBy(() -> registry.modelDir(""))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "Cannot find a model version in registry %s: no version given (versions: %s, %s)",
            root, sorted[0], sorted[1]);
  }

  @Test
  void anEmptyRegistrySaysSo() {
    assertThat(registry.list()).isEmpty();
    assertThat(registry.approved()).isEmpty();
    assertThat(registry.render()).isEqualTo("model registry " + root + ": no versions yet\n");
    assertThatThrownBy(() -> registry.show("3fa9"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "Cannot find model version 3fa9 in registry %s: no such version (versions: none)",
            root);
    assertThat(Files.exists(dir.resolve("registry"))).isFalse();
  }

  @Test
  void refusesAFolderWithoutACompleteModelSet() throws Exception {
    String trained = saved(set(3.0, "2024-10-07"));
    deleteTree(Path.of(trained, "return_weeks"));
    assertThatThrownBy(() -> registry.register(trained, Map.of(), ""))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "Cannot load models from %s: %s/return_weeks/provenance.json is missing (train the"
                + " models into this folder first)",
            trained, trained);
    assertThat(registry.list()).isEmpty();
  }

  @Test
  void aHalfCopiedVersionIsNeitherListedNorServedAndRegisteringAgainCompletesIt() throws Exception {
    ModelSet a = set(3.0, "2024-09-30");
    ModelSet b = set(4.0, "2024-10-07");
    registry.register(saved(a), metrics(0.6, 0.8, 0.9), "");
    registry.gate(a.version(), RULE);

    // a registration of b killed after part of the copy and the status, before entry.json
    Path half = dir.resolve("registry/versions/" + b.version());
    Files.createDirectories(half.resolve("models"));
    copyTree(Path.of(saved(b), "demand"), half.resolve("models/demand"));
    Files.writeString(half.resolve("status.json"), "{\"format\":1,\"history\":[]}");
    Files.writeString(half.resolve(".entry.json.tmp"), "{\"format\":1,\"vers");
    // and a copy killed in the staging area
    copyTree(
        Path.of(saved(b), "demand"), dir.resolve("registry/_staging/" + b.version() + "-x/demand"));

    assertThat(registry.list()).extracting(RegistryEntry::version).containsExactly(a.version());
    assertThat(registry.approved().map(RegistryEntry::version)).contains(a.version());
    assertThatThrownBy(() -> registry.show(b.version()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "Cannot find model version %s in registry %s: no such version (versions: %s)",
            b.version(), root, a.version());

    RegistryEntry registered = registry.register(saved(b), metrics(0.58, 0.8, 0.9), "retry");
    assertThat(registered.status()).isEqualTo(Status.PENDING);
    assertThat(registry.list())
        .extracting(RegistryEntry::version)
        .containsExactly(b.version(), a.version());
    try (ModelSet loaded = ModelSet.load(registry.modelDir(b.version()), HADOOP)) {
      assertThat(loaded.version()).isEqualTo(b.version());
    }
    assertThat(Files.exists(half.resolve(".entry.json.tmp"))).isFalse();
    assertThat(Files.exists(dir.resolve("registry/_staging"))).isFalse();
  }

  @Test
  void aStatusChangeCaughtBetweenDeleteAndRenameStillReads() throws Exception {
    ModelSet a = set(3.0, "2024-09-30");
    registry.register(saved(a), metrics(0.6, 0.8, 0.9), "");
    RegistryEntry gated = registry.gate(a.version(), RULE);
    // as on an object store: the old status.json deleted, the new one not yet renamed into place
    Path folder = dir.resolve("registry/versions/" + a.version());
    Files.move(folder.resolve("status.json"), folder.resolve(".status.json.tmp"));
    assertThat(registry.show(a.version())).isEqualTo(gated);
    assertThat(registry.approved()).contains(gated);
  }

  @Test
  void keepsMetricsThatAreNotNumbers() {
    ModelSet a = set(3.0, "2024-09-30");
    Map<String, Double> metrics = new HashMap<>(metrics(0.6, 0.8, 0.9));
    metrics.put("bias_h9", Double.NaN);
    registry.register(saved(a), metrics, "");
    assertThat(registry.show(a.version()).metrics())
        .containsEntry("bias_h9", Double.NaN)
        .hasSize(6);
  }

  @Test
  void rendersTheListWhenNoVersionServes() {
    ModelSet a = set(3.0, "2024-09-30");
    registry.register(saved(a), metrics(0.95, 0.8, 0.9), ""); // minute 0
    RegistryEntry rejected = registry.gate(a.version(), RULE); // minute 1
    assertThat(registry.render())
        .isEqualTo(
            """
model registry %s: 1 version, none approved
   version           status    plan week   registered         WAPE   recent-mean  log-log  decided by  reason
   %s  rejected  2024-09-30  2024-10-07 06:00Z  0.950  0.800        0.900    gate        %s
"""
                .formatted(root, a.version(), rejected.reason()));
  }

  @Test
  void rendersTheListAndOneVersionForPeople() {
    ModelSet a = set(3.0, "2024-09-30");
    ModelSet b = set(4.0, "2024-10-07");
    registry.register(saved(a), metrics(0.594, 0.8, 0.9), ""); // minute 0
    registry.gate(a.version(), RULE); // minute 1
    registry.register(saved(b), Map.of("wape", 0.712, "n", 800.0), "retrained"); // minute 2
    registry.gate(b.version(), RULE); // minute 3
    String rejection =
        "demand WAPE 0.712 is worse than the approved version %s's 0.594 by 19.9 %% (tolerance 2.0 %%);"
                .formatted(a.version().substring(0, 8))
            + " the backtest metrics have no recent-mean baseline WAPE (\"wape_recent_mean\"); the"
            + " backtest metrics have no log-log elasticity baseline WAPE"
            + " (\"wape_loglog_elasticity\")";
    String approval =
        "demand WAPE 0.594 beats the recent-mean baseline (0.800) and the log-log elasticity"
            + " baseline (0.900); there is no approved version to compare with";

    assertThat(registry.render())
        .isEqualTo(
            """
model registry %s: 2 versions, serving %s
   version           status    plan week   registered         WAPE   recent-mean  log-log  decided by  reason
   %s  rejected  2024-10-07  2024-10-07 06:02Z  0.712  -            -        gate        %s
*  %s  approved  2024-09-30  2024-10-07 06:00Z  0.594  0.800        0.900    gate        %s
"""
                .formatted(root, a.version(), b.version(), rejection, a.version(), approval));

    registry.approve(b.version(), "baselines were not run; checked by hand"); // minute 4
    assertThat(registry.show(b.version()).render())
        .isEqualTo(
            """
model version %s  approved (serving)
  decided     2024-10-07 06:04Z by person (%s): baselines were not run; checked by hand
  plan week   2024-10-07
  registered  2024-10-07 06:02Z  (retrained)
  backtest    n 800, wape 0.7120
  targets
    demand                     constant %s  2024-01-29 .. 2024-09-30  120 rows
    return_rate                constant %s  2024-01-29 .. 2024-09-30  121 rows
    return_weeks               constant %s  2024-01-29 .. 2024-09-30  122 rows
    fulfillment_cost_per_unit  constant %s  2024-01-29 .. 2024-09-30  123 rows
    residual_value_per_unit    constant %s  2024-01-29 .. 2024-09-30  124 rows
  history
    2024-10-07 06:03Z  rejected  by gate: %s
    2024-10-07 06:04Z  approved  by person (%s): baselines were not run; checked by hand
"""
                .formatted(
                    b.version(),
                    ME,
                    b.get(Target.DEMAND).version(),
                    b.get(Target.RETURN_RATE).version(),
                    b.get(Target.RETURN_WEEKS).version(),
                    b.get(Target.FULFILLMENT_COST_PER_UNIT).version(),
                    b.get(Target.RESIDUAL_VALUE_PER_UNIT).version(),
                    rejection,
                    ME));
  }

  private static void copyTree(Path from, Path to) throws Exception {
    try (var paths = Files.walk(from)) {
      for (Path p : paths.toList()) {
        Path target = to.resolve(from.relativize(p).toString());
        if (Files.isDirectory(p)) {
          Files.createDirectories(target);
        } else {
          Files.createDirectories(target.getParent());
          Files.copy(p, target);
        }
      }
    }
  }

  private static void deleteTree(Path path) throws Exception {
    try (var paths = Files.walk(path)) {
      for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    }
  }
}
