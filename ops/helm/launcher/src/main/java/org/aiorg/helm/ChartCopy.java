package org.aiorg.helm;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.Yaml;

/** Temporary copies of a chart, changed so helm-java's lint and template see what the helm CLI would. */
final class ChartCopy {
  private ChartCopy() {}

  /** The hook annotation, and what a copy's templates carry instead so Helm renders hooks as plain objects. */
  static final String HOOK_ANNOTATION = "helm.sh/hook";
  static final String HOOK_STAND_IN = "aiorg.launcher/hook";

  /**
   * helm-java's template returns the release manifest without its hooks (the helm CLI prints both). In a
   * copy whose templates name the hook annotations differently, Helm treats hooks as ordinary objects;
   * {@link #restoreHooks} puts the real annotation names back into the rendered text.
   */
  static Path withHooksAsManifests(Path chart) {
    try {
      Path copy = copyToTemp(chart);
      try (Stream<Path> files = Files.walk(copy.resolve("templates"))) {
        for (Path file : (Iterable<Path>) files.filter(Files::isRegularFile)::iterator) {
          String text = Files.readString(file);
          if (text.contains(HOOK_ANNOTATION)) Files.writeString(file, text.replace(HOOK_ANNOTATION, HOOK_STAND_IN));
        }
      }
      return copy;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static String restoreHooks(String rendered) {
    return rendered.replace(HOOK_STAND_IN, HOOK_ANNOTATION);
  }

  private static Path copyToTemp(Path chart) throws IOException {
    Path root = Files.createTempDirectory("aiorg-helm-");
    Runtime.getRuntime().addShutdownHook(new Thread(() -> deleteQuietly(root)));
    // Lint checks that the directory is named after the chart: keep the name.
    Path copy = root.resolve(chart.getFileName());
    copyTree(chart, copy);
    return copy;
  }

  /** A copy whose values.yaml is the chart's own with values files and --set merged in, as Helm merges them. */
  static Path withValues(Path chart, List<Path> valuesFiles, Map<String, String> sets) {
    try {
      Path copy = copyToTemp(chart);
      Yaml yaml = new Yaml();
      Map<String, Object> values = load(yaml, chart.resolve("values.yaml"));
      for (Path file : valuesFiles) merge(values, load(yaml, file));
      for (Map.Entry<String, String> set : sets.entrySet()) put(values, set.getKey(), set.getValue());
      DumperOptions options = new DumperOptions();
      options.setDefaultFlowStyle(DumperOptions.FlowStyle.BLOCK);
      Files.writeString(copy.resolve("values.yaml"), new Yaml(options).dump(values));
      return copy;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> load(Yaml yaml, Path file) throws IOException {
    Object loaded = yaml.load(Files.readString(file));
    return loaded == null ? new LinkedHashMap<>() : (Map<String, Object>) loaded;
  }

  /** Maps merge key by key; anything else (lists included) replaces: Helm's coalescing rules. */
  @SuppressWarnings("unchecked")
  private static void merge(Map<String, Object> into, Map<String, Object> from) {
    for (Map.Entry<String, Object> entry : from.entrySet()) {
      Object current = into.get(entry.getKey());
      if (current instanceof Map && entry.getValue() instanceof Map) {
        merge((Map<String, Object>) current, (Map<String, Object>) entry.getValue());
      } else {
        into.put(entry.getKey(), entry.getValue());
      }
    }
  }

  /** A --set: a dotted path, the value a string (as `helm --set-string` would; enough for the tests' wrong values). */
  @SuppressWarnings("unchecked")
  private static void put(Map<String, Object> values, String path, String value) {
    String[] keys = path.split("\\.");
    Map<String, Object> node = values;
    for (int i = 0; i < keys.length - 1; i++) {
      node = (Map<String, Object>) node.computeIfAbsent(keys[i], k -> new LinkedHashMap<String, Object>());
    }
    node.put(keys[keys.length - 1], value);
  }

  private static void copyTree(Path from, Path to) throws IOException {
    try (Stream<Path> paths = Files.walk(from)) {
      for (Path source : (Iterable<Path>) paths::iterator) {
        Path target = to.resolve(from.relativize(source).toString());
        if (Files.isDirectory(source)) Files.createDirectories(target);
        else Files.copy(source, target);
      }
    }
  }

  private static void deleteQuietly(Path root) {
    try (Stream<Path> paths = Files.walk(root)) {
      paths.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
    } catch (IOException ignored) {
      // A temp directory left behind is harmless.
    }
  }
}
