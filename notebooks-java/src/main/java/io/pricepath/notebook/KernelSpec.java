package io.pricepath.notebook;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes the kernelspec ({@code kernels/pricepath/kernel.json}) that tells Jupyter how to start
 * {@link Kernel}: this JVM's java, the heap, the JVM flags Spark needs on Java 17 (given by {@code
 * bin/pricepath-notebook} from {@code bin/spark-jvm-flags.sh}, the list every launcher uses), the
 * classpath given, and {@code pricepath.home} so notebooks find the checkout. {@code
 * bin/pricepath-notebook install} runs it.
 *
 * <pre>java -cp CP io.pricepath.notebook.KernelSpec JUPYTER_DATA_DIR PRICEPATH_HOME HEAP CLASSPATH [JVM_FLAG ...]</pre>
 */
public final class KernelSpec {
  private KernelSpec() {}

  public static void main(String[] args) throws IOException {
    if (args.length < 4) {
      System.err.println("usage: KernelSpec JUPYTER_DATA_DIR PRICEPATH_HOME HEAP CLASSPATH [JVM_FLAG ...]");
      System.exit(2);
    }
    Path file = write(Path.of(args[0]), Path.of(args[1]), args[2], args[3],
        Arrays.asList(args).subList(4, args.length));
    System.out.println("installed the pricepath kernel: " + file);
  }

  /** Writes {@code dataDir/kernels/pricepath/kernel.json}; returns its path. */
  static Path write(Path dataDir, Path home, String heap, String classpath, List<String> jvmFlags)
      throws IOException {
    Path java = Path.of(System.getProperty("java.home"), "bin", "java");
    List<String> argv = new ArrayList<>(List.of(java.toString(), "-Xmx" + heap,
        "-Dpricepath.home=" + home.toAbsolutePath().normalize()));
    argv.addAll(jvmFlags);
    argv.addAll(List.of("-cp", classpath, Kernel.class.getName(), "{connection_file}"));
    Map<String, Object> spec = new LinkedHashMap<>();
    spec.put("argv", argv);
    spec.put("display_name", "pricepath (Java)");
    spec.put("language", "java");
    spec.put("interrupt_mode", "message");
    spec.put("env", Map.of("SPARK_LOCAL_IP", System.getenv().getOrDefault("SPARK_LOCAL_IP", "127.0.0.1")));
    Path dir = dataDir.resolve("kernels").resolve("pricepath");
    Files.createDirectories(dir);
    Path file = dir.resolve("kernel.json");
    new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(file.toFile(), spec);
    return file;
  }
}
