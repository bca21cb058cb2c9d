package io.pricepath.forecast.registry;

import java.util.List;
import java.util.Optional;

/**
 * Where a registry keeps its files: small JSON documents and copied model folders, addressed by
 * paths relative to the registry root ({@code /}-separated). Implementations make every write
 * atomic: a reader sees the old or the new content of a file, never a part, and a copied folder
 * appears only once it is complete.
 */
interface RegistryStore extends AutoCloseable {

  /** The registry root, as given. */
  String uri();

  /** The full location of {@code path}, to hand to readers outside the store. */
  String resolve(String path);

  /** Whether the file {@code path} exists (exactly that file, no fallback). */
  boolean exists(String path);

  /** The text of file {@code path}, or empty when it does not exist. */
  Optional<String> read(String path);

  /** Replaces the content of file {@code path} with {@code text} atomically. */
  void write(String path, String text);

  /**
   * Names of the sub-folders of {@code folder}, sorted, leaving out hidden ({@code .}) and internal
   * ({@code _}) ones; empty when {@code folder} does not exist.
   */
  List<String> folders(String folder);

  /**
   * Copies the sub-folders {@code children} of {@code source} (any location the store can read)
   * into {@code folder}, which appears only when the copy is complete; a {@code folder} already
   * there (an incomplete earlier copy) is replaced, and what interrupted copies left is cleared.
   */
  void copyIn(String source, List<String> children, String folder);

  /** Deletes {@code path} and everything under it; nothing when it does not exist. */
  void delete(String path);

  /** Releases the store's connections. */
  @Override
  void close();
}
