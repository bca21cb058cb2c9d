package io.pricepath.forecast.train;

import io.pricepath.features.FeatureLayout;
import io.pricepath.forecast.model.TargetModel;
import java.io.IOException;
import java.io.InputStream;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Enumeration;
import java.util.HexFormat;
import java.util.List;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.stream.Stream;

/**
 * The version of the code that turns data into models, derived from the code itself: a hash of
 * the compiled classes of the feature encoding ({@code io.pricepath.features}), the model layer
 * ({@code io.pricepath.forecast.model}), training ({@code io.pricepath.forecast.train}) and the
 * transformer ({@code io.pricepath.forecast.neural}). Any
 * change there gives another version, so cached models of older code are never reused; nothing
 * is bumped by hand.
 */
public final class ModelCode {
  private static final List<String> PACKAGES =
      List.of("io/pricepath/features/", "io/pricepath/forecast/model/",
          "io/pricepath/forecast/train/", "io/pricepath/forecast/neural/");

  private static volatile String version;

  private ModelCode() {}

  /** The version: 16 hex digits. */
  public static String version() {
    String v = version;
    if (v == null) {
      v = compute();
      version = v;
    }
    return v;
  }

  private static String compute() {
    List<Class<?>> anchors =
        List.of(FeatureLayout.class, TargetModel.class, ModelCode.class,
            io.pricepath.forecast.neural.NetworkShape.class);
    List<String[]> entries = new ArrayList<>();
    MessageDigest digest;
    try {
      digest = MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("Cannot derive the model code version: no SHA-256", e);
    }
    List<Object[]> classes = new ArrayList<>();
    for (Class<?> anchor : anchors) {
      String prefix = PACKAGES.get(anchors.indexOf(anchor));
      try {
        Path location = Path.of(anchor.getProtectionDomain().getCodeSource().getLocation().toURI());
        if (Files.isDirectory(location)) {
          try (Stream<Path> files = Files.walk(location.resolve(prefix))) {
            for (Path p : files.filter(f -> f.toString().endsWith(".class")).toList()) {
              String name = location.relativize(p).toString().replace('\\', '/');
              // classes of a subpackage belong to their own entry
              if (name.substring(prefix.length()).contains("/")) {
                continue;
              }
              classes.add(new Object[] {name, Files.readAllBytes(p)});
            }
          }
        } else {
          try (JarFile jar = new JarFile(location.toFile())) {
            Enumeration<JarEntry> all = jar.entries();
            for (JarEntry e : Collections.list(all)) {
              String name = e.getName();
              if (name.startsWith(prefix) && name.endsWith(".class")
                  && !name.substring(prefix.length()).contains("/")) {
                try (InputStream in = jar.getInputStream(e)) {
                  classes.add(new Object[] {name, in.readAllBytes()});
                }
              }
            }
          }
        }
      } catch (IOException | URISyntaxException | RuntimeException e) {
        // no readable code source (an unusual class loader): the classes' names stand in
        entries.add(new String[] {anchor.getName(), e.getClass().getSimpleName()});
      }
    }
    classes.sort((a, b) -> ((String) a[0]).compareTo((String) b[0]));
    for (Object[] c : classes) {
      digest.update(((String) c[0]).getBytes(java.nio.charset.StandardCharsets.UTF_8));
      digest.update((byte[]) c[1]);
    }
    for (String[] e : entries) {
      digest.update(String.join("/", e).getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }
    return HexFormat.of().formatHex(digest.digest()).substring(0, 16);
  }
}
