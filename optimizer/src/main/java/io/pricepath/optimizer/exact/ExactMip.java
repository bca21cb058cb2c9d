package io.pricepath.optimizer.exact;

import com.google.ortools.Loader;
import com.google.ortools.linearsolver.MPConstraint;
import com.google.ortools.linearsolver.MPObjective;
import com.google.ortools.linearsolver.MPSolver;
import com.google.ortools.linearsolver.MPVariable;
import io.pricepath.optimizer.article.ArticleProblem;
import io.pricepath.optimizer.article.Rules;
import io.pricepath.optimizer.lagrangian.CouplingRow;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The whole multi-article markdown problem as one mixed-integer programme, solved by SCIP: the
 * reference the decomposition is tested against, for small instances only.
 *
 * <p>Formulated on its own, not through the article solver: a binary per (article, week, level);
 * sales per level bounded by demand; the stock balance with returns arriving after their lag;
 * {@code s = min(q, S)} linearised with one binary per week and a big-M; residual value of stock
 * left and late returns; every rule of the {@link io.pricepath.optimizer.article.ArticleSolver}
 * contract (locks win, no-touch weeks repeat, free weeks hold or move within bounds, steps and
 * markdown-only, at most maxChanges changes; weeks after the exit week repeat its level); and every
 * coupling row as a hard constraint.
 */
public final class ExactMip {

  private static boolean loaded;

  private ExactMip() {}

  /**
   * Maximises total profit of {@code articles} subject to their rules and to {@code rows}, within
   * {@code timeLimitSeconds}.
   *
   * @throws IllegalArgumentException when two articles share a key, or a live or locked level is
   *     not on the ladder
   */
  public static ExactResult solve(List<ArticleProblem> articles, List<CouplingRow> rows, double timeLimitSeconds) {
    load();
    MPSolver solver = MPSolver.createSolver("SCIP");
    if (solver == null) {
      throw new IllegalStateException("Cannot build the exact MIP: OR-Tools has no SCIP solver");
    }
    try {
      solver.setSolverSpecificParametersAsString("numerics/feastol = 1e-9\n");
      MPObjective objective = solver.objective();
      MPConstraint[] coupling = new MPConstraint[rows.size()];
      for (int i = 0; i < rows.size(); i++) {
        coupling[i] = solver.makeConstraint(-MPSolver.infinity(), rows.get(i).rhs(), "row" + i);
      }
      double constant = 0;
      double[] rowConstant = new double[rows.size()];
      Set<String> keys = new HashSet<>();
      MPVariable[][][] choice = new MPVariable[articles.size()][][];
      for (int a = 0; a < articles.size(); a++) {
        ArticleProblem p = articles.get(a);
        if (!keys.add(p.key())) {
          throw new IllegalArgumentException(
              "Cannot build the exact MIP: article key %s appears twice; keys must be unique".formatted(p.key()));
        }
        ArticleModel model = new ArticleModel(solver, p, "a" + a + "_");
        choice[a] = model.x;
        model.addProfit(objective);
        constant += model.constantProfit();
        for (int i = 0; i < rows.size(); i++) {
          CouplingRow row = rows.get(i);
          if (row.appliesTo(p)) {
            rowConstant[i] += model.addRow(coupling[i], row);
          }
        }
      }
      for (int i = 0; i < rows.size(); i++) {
        coupling[i].setUb(rows.get(i).rhs() - rowConstant[i]);
      }
      objective.setOffset(constant);
      objective.setMaximization();
      solver.setTimeLimit((long) (timeLimitSeconds * 1000));
      MPSolver.ResultStatus status = solver.solve(gapParameters());
      boolean found = status == MPSolver.ResultStatus.OPTIMAL || status == MPSolver.ResultStatus.FEASIBLE;
      Map<String, int[]> levels = new HashMap<>();
      if (found) {
        for (int a = 0; a < articles.size(); a++) {
          levels.put(articles.get(a).key(), levelsOf(articles.get(a), choice[a]));
        }
      }
      return new ExactResult(
          found ? objective.value() : Double.NaN,
          found ? objective.bestBound() : Double.NaN,
          status == MPSolver.ResultStatus.OPTIMAL,
          status.name(),
          Map.copyOf(levels));
    } finally {
      solver.delete();
    }
  }

  private static synchronized void load() {
    if (!loaded) {
      Loader.loadNativeLibraries();
      loaded = true;
    }
  }

  private static int[] levelsOf(ArticleProblem p, MPVariable[][] x) {
    int weeks = p.weeks();
    int exit = p.rules().lastSaleWeek();
    int[] levels = new int[weeks];
    int hold = p.rules().liveLevel();
    for (int t = 0; t < weeks; t++) {
      if (t <= exit) {
        double most = -1;
        for (int k = 0; k < p.levels(); k++) {
          double v = x[t][k].solutionValue();
          if (v > most) {
            most = v;
            levels[t] = k;
          }
        }
        hold = levels[t];
      } else {
        levels[t] = hold;
      }
    }
    return levels;
  }

  /** The variables and constraints of one article. */
  private static final class ArticleModel {

    private final MPSolver solver;
    private final ArticleProblem p;
    private final String name;
    private final int exit;
    private final int levels;
    private final boolean finite;
    final MPVariable[][] x;
    /** Sales per week and level; null where stock is unconstrained (sales are then q·x). */
    private final MPVariable[][] sales;
    private final MPVariable[] stock;

    ArticleModel(MPSolver solver, ArticleProblem p, String name) {
      this.solver = solver;
      this.p = p;
      this.name = name;
      this.exit = p.rules().lastSaleWeek();
      this.levels = p.levels();
      this.finite = p.startStock() != Double.POSITIVE_INFINITY;
      Rules rules = p.rules();
      if (rules.liveLevel() < 0 || rules.liveLevel() >= levels) {
        throw new IllegalArgumentException(
            "Cannot build the exact MIP: live level of %s is not on its ladder of %d levels (%d)"
                .formatted(p.key(), levels, rules.liveLevel()));
      }
      int weeks = exit + 1;
      x = new MPVariable[weeks][levels];
      for (int t = 0; t < weeks; t++) {
        MPConstraint one = solver.makeConstraint(1, 1, name + "one" + t);
        for (int k = 0; k < levels; k++) {
          x[t][k] = solver.makeBoolVar(name + "x" + t + "_" + k);
          one.setCoefficient(x[t][k], 1);
        }
      }
      addRules();
      if (finite) {
        sales = new MPVariable[weeks][levels];
        stock = new MPVariable[weeks];
        addStock();
      } else {
        sales = null;
        stock = null;
      }
    }

    private void addRules() {
      Rules rules = p.rules();
      int live = rules.liveLevel();
      int maxLevel = Math.min(rules.maxLevel(), levels - 1);
      MPVariable[] change = new MPVariable[exit + 1];
      int free = 0;
      for (int t = 0; t <= exit; t++) {
        int lock = rules.locked()[t];
        if (lock >= levels) {
          throw new IllegalArgumentException(
              "Cannot build the exact MIP: locked level of %s in week %d is not on its ladder of %d levels (%d)"
                  .formatted(p.key(), t, levels, lock));
        }
        if (lock >= 0) {
          x[t][lock].setLb(1);
          continue;
        }
        if (rules.noTouch()[t]) {
          for (int k = 0; k < levels; k++) {
            if (t == 0) {
              x[0][k].setBounds(k == live ? 1 : 0, k == live ? 1 : 0);
            } else {
              MPConstraint same = solver.makeConstraint(0, 0, name + "hold" + t + "_" + k);
              same.setCoefficient(x[t][k], 1);
              same.setCoefficient(x[t - 1][k], -1);
            }
          }
          continue;
        }
        free++;
        change[t] = solver.makeNumVar(0, 1, name + "change" + t);
        for (int k = 0; k < levels; k++) {
          for (int j = 0; j < levels; j++) {
            if (j == k) {
              continue;
            }
            boolean move = k >= rules.minLevel()
                && k <= maxLevel
                && (!rules.markdownOnly() || k > j)
                && Math.abs(k - j) <= rules.maxStepsPerWeek();
            if (t == 0) {
              if (j == live && !move) {
                x[0][k].setUb(0);
              }
            } else if (!move) {
              MPConstraint forbid = solver.makeConstraint(-MPSolver.infinity(), 1, name + "move" + t + "_" + j + "_" + k);
              forbid.setCoefficient(x[t - 1][j], 1);
              forbid.setCoefficient(x[t][k], 1);
            }
          }
          // a change happens when the week takes a level the previous week did not have
          MPConstraint counts = solver.makeConstraint(
              t == 0 ? (k == live ? -MPSolver.infinity() : 0) : 0, MPSolver.infinity(), name + "counts" + t + "_" + k);
          counts.setCoefficient(change[t], 1);
          counts.setCoefficient(x[t][k], -1);
          if (t > 0) {
            counts.setCoefficient(x[t - 1][k], 1);
          }
        }
      }
      if (rules.maxChanges() < free) {
        MPConstraint limit = solver.makeConstraint(-MPSolver.infinity(), rules.maxChanges(), name + "changes");
        for (MPVariable c : change) {
          if (c != null) {
            limit.setCoefficient(c, 1);
          }
        }
      }
    }

    private void addStock() {
      // bounds on demand and on stock per week, for the tightest big-M of each linearisation
      double[] mostDemand = new double[exit + 1];
      double[] mostStock = new double[exit + 1];
      double total = 0;
      double stockBound = p.startStock();
      for (int t = 0; t <= exit; t++) {
        stockBound += p.incoming()[t];
        mostStock[t] = stockBound;
        double returned = 0;
        for (int k = 0; k < levels; k++) {
          mostDemand[t] = Math.max(mostDemand[t], p.demand()[t][k]);
          returned = Math.max(returned, p.returnRate()[t][k] * p.demand()[t][k]);
        }
        total += mostDemand[t];
        stockBound += returned;
      }
      boolean neverBinds = total <= p.startStock();
      MPConstraint[] balance = new MPConstraint[exit + 1];
      for (int t = 0; t <= exit; t++) {
        stock[t] = solver.makeNumVar(0, mostStock[t], name + "stock" + t);
        // S_t − S_{t−1} + s_{t−1} − arrivals_t = incoming_t (+ start stock in week 0), sales and arrivals added below
        double given = (t == 0 ? p.startStock() : 0) + p.incoming()[t];
        balance[t] = solver.makeConstraint(given, given, name + "balance" + t);
        balance[t].setCoefficient(stock[t], 1);
        if (t > 0) {
          balance[t].setCoefficient(stock[t - 1], -1);
        }
      }
      for (int t = 0; t <= exit; t++) {
        MPConstraint belowStock = solver.makeConstraint(-MPSolver.infinity(), 0, name + "belowStock" + t);
        belowStock.setCoefficient(stock[t], -1);
        MPConstraint atDemand;
        MPConstraint atStock = null;
        if (neverBinds) {
          // stock always covers demand: s_t = Q_t
          atDemand = solver.makeConstraint(0, 0, name + "atDemand" + t);
        } else {
          MPVariable demandBinds = solver.makeBoolVar(name + "demandBinds" + t);
          // s_t >= Q_t − M1·(1 − z)  <=>  s_t − Q_t − M1·z >= −M1, with M1 the most demand
          double m1 = mostDemand[t];
          atDemand = solver.makeConstraint(-m1, MPSolver.infinity(), name + "atDemand" + t);
          atDemand.setCoefficient(demandBinds, -m1);
          // s_t >= S_t − M2·z  <=>  s_t − S_t + M2·z >= 0, with M2 the most stock
          atStock = solver.makeConstraint(0, MPSolver.infinity(), name + "atStock" + t);
          atStock.setCoefficient(stock[t], -1);
          atStock.setCoefficient(demandBinds, mostStock[t]);
        }
        for (int k = 0; k < levels; k++) {
          double q = p.demand()[t][k];
          MPVariable s = solver.makeNumVar(0, q, name + "s" + t + "_" + k);
          sales[t][k] = s;
          MPConstraint belowDemand = solver.makeConstraint(-MPSolver.infinity(), 0, name + "belowDemand" + t + "_" + k);
          belowDemand.setCoefficient(s, 1);
          belowDemand.setCoefficient(x[t][k], -q);
          belowStock.setCoefficient(s, 1);
          atDemand.setCoefficient(s, 1);
          atDemand.setCoefficient(x[t][k], -q);
          if (atStock != null) {
            atStock.setCoefficient(s, 1);
          }
          if (t < exit) {
            balance[t + 1].setCoefficient(s, 1);
          }
          int arrival = t + lag(p.returnWeeks()[t][k]);
          if (arrival <= exit) {
            balance[arrival].setCoefficient(s, balance[arrival].getCoefficient(s) - p.returnRate()[t][k]);
          }
        }
      }
    }

    /** Adds the article's profit (without constants) to the objective. */
    void addProfit(MPObjective objective) {
      double v = p.residualValue();
      for (int t = 0; t <= exit; t++) {
        for (int k = 0; k < levels; k++) {
          double r = p.returnRate()[t][k];
          double margin = p.blackPrice()[t] * (1 - p.ladder()[k]) * (1 - r) - p.fulfillmentCost()[t][k];
          boolean late = t + lag(p.returnWeeks()[t][k]) > exit;
          double unit = margin + (late ? v * r : 0);
          if (finite && t == exit) {
            unit -= v; // sold in the exit week: no longer left over
          }
          addSales(objective, t, k, unit);
        }
      }
      if (finite && exit >= 0) {
        objective.setCoefficient(stock[exit], objective.getCoefficient(stock[exit]) + v);
      }
    }

    /** Profit that does not depend on the plan. */
    double constantProfit() {
      return p.residualValue() * ((finite && exit < 0 ? p.startStock() : 0) + p.incomingAfter(exit));
    }

    /** Adds the article's g to a coupling row; returns its constant part. */
    double addRow(MPConstraint row, CouplingRow coupling) {
      int from = coupling.week() >= 0 ? coupling.week() : 0;
      int to = Math.min(exit, coupling.week() >= 0 ? coupling.week() : p.weeks() - 1);
      double target = coupling.target();
      for (int t = from; t <= to; t++) {
        double p0 = p.blackPrice()[t];
        for (int k = 0; k < levels; k++) {
          double d = p.ladder()[k];
          double coefficient = switch (coupling.kind()) {
            case DISCOUNT_RATE_MAX -> (d - target) * p0;
            case DISCOUNT_RATE_MIN -> (target - d) * p0;
            case MARKDOWN_BUDGET -> d * p0;
            case REVENUE_MIN -> -(1 - d) * p0;
            case SELL_THROUGH_MIN -> -1;
          };
          addSales(row, t, k, coefficient);
        }
      }
      return coupling.kind() == CouplingRow.Kind.SELL_THROUGH_MIN ? target * p.startStock() : 0;
    }

    private void addSales(MPObjective objective, int t, int k, double coefficient) {
      if (finite) {
        objective.setCoefficient(sales[t][k], objective.getCoefficient(sales[t][k]) + coefficient);
      } else {
        MPVariable v = x[t][k];
        objective.setCoefficient(v, objective.getCoefficient(v) + coefficient * p.demand()[t][k]);
      }
    }

    private void addSales(MPConstraint row, int t, int k, double coefficient) {
      if (finite) {
        row.setCoefficient(sales[t][k], row.getCoefficient(sales[t][k]) + coefficient);
      } else {
        MPVariable v = x[t][k];
        row.setCoefficient(v, row.getCoefficient(v) + coefficient * p.demand()[t][k]);
      }
    }

    private static int lag(double returnWeeks) {
      return (int) Math.max(1, Math.round(returnWeeks));
    }
  }

  /** SCIP stops at OR-Tools' default relative gap of 1e-4 unless told otherwise. */
  private static com.google.ortools.linearsolver.MPSolverParameters gapParameters() {
    com.google.ortools.linearsolver.MPSolverParameters parameters = new com.google.ortools.linearsolver.MPSolverParameters();
    parameters.setDoubleParam(com.google.ortools.linearsolver.MPSolverParameters.DoubleParam.RELATIVE_MIP_GAP, 1e-9);
    return parameters;
  }
}
