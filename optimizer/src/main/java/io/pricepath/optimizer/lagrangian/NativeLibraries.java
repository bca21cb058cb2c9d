package io.pricepath.optimizer.lagrangian;

import com.google.ortools.Loader;

/** Loads OR-Tools' native libraries once per JVM. */
final class NativeLibraries {

  private static boolean loaded;

  private NativeLibraries() {}

  static synchronized void load() {
    if (!loaded) {
      Loader.loadNativeLibraries();
      loaded = true;
    }
  }
}
