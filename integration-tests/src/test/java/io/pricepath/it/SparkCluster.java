package io.pricepath.it;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A real Spark standalone cluster for the tests: a Master and {@code n} Workers, each its own JVM
 * on 127.0.0.1, started from the Spark jars Maven resolved for the jobs module (what a cluster has:
 * {@code jobs/target/launcher-classpath-spark.txt}, linked into a {@code SPARK_HOME/jars} folder
 * that the Workers launch their executors from). Every process it starts it stops by its PID.
 */
final class SparkCluster implements AutoCloseable {
  private static final Pattern EXECUTOR_PID = Pattern.compile("Started daemon with process name: (\\d+)@");

  private final Path dir;
  private final Path sparkHome;
  private final String master;
  private final List<Process> processes = new ArrayList<>();
  private final List<Path> workDirs = new ArrayList<>();

  private SparkCluster(Path dir, Path sparkHome, String master) {
    this.dir = dir;
    this.sparkHome = sparkHome;
    this.master = master;
  }

  /** Starts a Master and {@code workers} Workers of one core each; returns once all registered. */
  static SparkCluster start(Path dir, int workers, String workerMemory) throws Exception {
    Path sparkHome = sparkHome(dir.resolve("spark-home"));
    int port = freePort();
    SparkCluster cluster = new SparkCluster(dir, sparkHome, "spark://127.0.0.1:" + port);
    try {
      cluster.launch("master", "org.apache.spark.deploy.master.Master",
          "--host", "127.0.0.1", "--port", Integer.toString(port), "--webui-port", "0");
      cluster.await("master", "I have been elected leader", 1);
      for (int i = 1; i <= workers; i++) {
        Path work = Files.createDirectories(dir.resolve("worker-" + i));
        cluster.workDirs.add(work);
        cluster.launch("worker-" + i, "org.apache.spark.deploy.worker.Worker",
            "--host", "127.0.0.1", "--cores", "1", "--memory", workerMemory, "--webui-port", "0",
            "--work-dir", work.toString(), cluster.master);
      }
      cluster.await("master", "Registering worker", workers);
      return cluster;
    } catch (Exception | AssertionError e) {
      cluster.close();
      throw e;
    }
  }

  /** A {@code SPARK_HOME} whose {@code jars/} links the Spark jars of the jobs module's classpath. */
  private static Path sparkHome(Path home) throws IOException {
    Path jars = Files.createDirectories(home.resolve("jars"));
    for (String jar : sparkClasspath().split(java.io.File.pathSeparator)) {
      Path source = Path.of(jar);
      Path link = jars.resolve(source.getFileName());
      if (!Files.exists(link)) {
        Files.createSymbolicLink(link, source);
      }
    }
    return home;
  }

  /** Spark and what Spark brings, as the jobs module declares them provided (built by its package). */
  static String sparkClasspath() throws IOException {
    Path provided = Path.of("..", "jobs", "target", "launcher-classpath-spark.txt");
    if (!Files.isRegularFile(provided)) {
      throw new IllegalStateException(provided + " is missing: run mvn package in jobs first");
    }
    return Files.readString(provided).trim();
  }

  static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    }
  }

  private void launch(String name, String mainClass, String... args) throws IOException {
    List<String> command = new ArrayList<>(javaCommand("-Xmx512m"));
    command.addAll(List.of("-cp", sparkClasspath(), mainClass));
    command.addAll(Arrays.asList(args));
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
        .redirectOutput(dir.resolve(name + ".log").toFile());
    environment(builder);
    processes.add(builder.start());
  }

  /** {@code java} of this JVM with Spark's JVM flags and {@code extra} before them. */
  static List<String> javaCommand(String... extra) {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(Arrays.asList(extra));
    command.addAll(Arrays.asList(System.getProperty("pricepath.jvm.flags", "").trim().split("\\s+")));
    command.removeIf(String::isEmpty);
    return command;
  }

  /** What Spark's launch scripts would set: its home, Scala version and the loopback address. */
  void environment(ProcessBuilder builder) {
    builder.environment().put("SPARK_HOME", sparkHome.toString());
    builder.environment().put("SPARK_SCALA_VERSION", "2.13");
    builder.environment().put("SPARK_LOCAL_IP", "127.0.0.1");
  }

  private void await(String name, String line, int times) throws Exception {
    Path log = dir.resolve(name + ".log");
    long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(1);
    while (System.nanoTime() < deadline) {
      for (Process p : processes) {
        if (!p.isAlive()) {
          throw new IllegalStateException("a cluster process exited with " + p.exitValue() + ": "
              + String.join("\n", Files.readAllLines(log)));
        }
      }
      if (Files.isRegularFile(log) && Files.readAllLines(log).stream().filter(l -> l.contains(line)).count() >= times) {
        return;
      }
      Thread.sleep(200);
    }
    throw new IllegalStateException(name + " did not log '" + line + "' " + times + " times within a minute: "
        + String.join("\n", Files.readAllLines(log)));
  }

  /** The master URL, {@code spark://127.0.0.1:PORT}. */
  String master() {
    return master;
  }

  /** The executor JVMs running now (the Workers' child processes). */
  List<ProcessHandle> executors() {
    return processes.subList(1, processes.size()).stream()
        .flatMap(Process::descendants).filter(ProcessHandle::isAlive).toList();
  }

  /**
   * The PIDs of every executor the Workers have launched so far (from the executors' own logs,
   * {@code WORK/app-…/ID/stderr}), and how many tasks each ran.
   */
  List<ExecutorLog> executorLogs() throws IOException {
    List<ExecutorLog> logs = new ArrayList<>();
    for (Path work : workDirs) {
      try (var files = Files.find(work, 3, (p, a) -> p.getFileName().toString().equals("stderr"))) {
        for (Path stderr : files.sorted().toList()) {
          String text = Files.readString(stderr);
          Matcher m = EXECUTOR_PID.matcher(text);
          long pid = m.find() ? Long.parseLong(m.group(1)) : -1;
          long tasks = text.lines().filter(l -> l.contains("Running task")).count();
          logs.add(new ExecutorLog(stderr, pid, tasks));
        }
      }
    }
    return logs;
  }

  /** One executor's log: its JVM's PID and the tasks it ran. */
  record ExecutorLog(Path stderr, long pid, long tasks) {}

  /** Stops the Workers' executors, the Workers and the Master, by PID. */
  @Override
  public void close() throws InterruptedException {
    List<ProcessHandle> all = new ArrayList<>();
    for (Process p : processes) {
      all.addAll(p.descendants().toList());
      all.add(p.toHandle());
    }
    all.forEach(ProcessHandle::destroy);
    for (ProcessHandle h : all) {
      try {
        h.onExit().get(10, TimeUnit.SECONDS);
      } catch (Exception stillRunning) {
        h.destroyForcibly();
      }
    }
  }
}
