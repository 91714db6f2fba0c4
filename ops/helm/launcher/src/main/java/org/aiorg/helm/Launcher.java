package org.aiorg.helm;

import com.marcnuri.helm.Helm;
import com.marcnuri.helm.LintResult;
import com.marcnuri.helm.TemplateCommand;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * `helm lint` and `helm template` without a helm binary or a cluster (helm-java's native Helm library).
 *
 * <pre>
 *   lint     &lt;chart&gt; [-f values.yaml]... [--set key=value]...   lint messages on stdout
 *   template &lt;chart&gt; [-f values.yaml]... [--set key=value]...   rendered YAML on stdout, hooks included
 * </pre>
 *
 * Exit codes: 0 passed, 1 the chart or its values failed (the reason on stderr), 2 usage error.
 */
public final class Launcher {
  private Launcher() {}

  record Args(String command, Path chart, List<Path> valuesFiles, Map<String, String> sets) {}

  public static void main(String[] argv) {
    final Args args;
    try {
      args = parse(argv);
    } catch (IllegalArgumentException e) {
      System.err.println(e.getMessage());
      System.err.println("usage: run.sh lint|template <chart> [-f values.yaml]... [--set key=value]...");
      System.exit(2);
      return;
    }
    try {
      System.exit("lint".equals(args.command()) ? lint(args) : template(args));
    } catch (RuntimeException e) {
      // helm-java reports Helm's own error (schema violations, template errors) as the exception message.
      System.err.println("helm " + args.command() + " failed: " + e.getMessage());
      System.exit(1);
    }
  }

  static Args parse(String[] argv) {
    if (argv.length < 2) throw new IllegalArgumentException("missing command or chart");
    String command = argv[0];
    if (!command.equals("lint") && !command.equals("template")) {
      throw new IllegalArgumentException("unknown command: " + command);
    }
    List<Path> files = new ArrayList<>();
    Map<String, String> sets = new LinkedHashMap<>();
    for (int i = 2; i < argv.length; i++) {
      String flag = argv[i];
      if (i + 1 >= argv.length) throw new IllegalArgumentException(flag + " needs a value");
      String value = argv[++i];
      switch (flag) {
        case "-f", "--values" -> files.add(Path.of(value).toAbsolutePath());
        case "--set" -> {
          int eq = value.indexOf('=');
          if (eq <= 0) throw new IllegalArgumentException("--set takes key=value: " + value);
          sets.put(value.substring(0, eq), value.substring(eq + 1));
        }
        default -> throw new IllegalArgumentException("unknown option: " + flag);
      }
    }
    return new Args(command, Path.of(argv[1]).toAbsolutePath(), files, sets);
  }

  static int template(Args args) {
    Path chart = ChartCopy.withHooksAsManifests(args.chart());
    TemplateCommand command = new Helm(chart).template().withName("ai-org").withNamespace("ai-org");
    for (Path file : args.valuesFiles()) command = command.withValuesFile(file);
    for (Map.Entry<String, String> set : args.sets().entrySet()) command = command.set(set.getKey(), set.getValue());
    System.out.print(ChartCopy.restoreHooks(command.call()));
    return 0;
  }

  static int lint(Args args) throws RuntimeException {
    // helm-java's lint has no --values/--set: lint a copy of the chart whose values.yaml has them merged in.
    Path chart = args.valuesFiles().isEmpty() && args.sets().isEmpty()
        ? args.chart()
        : ChartCopy.withValues(args.chart(), args.valuesFiles(), args.sets());
    LintResult result = new Helm(chart).lint().strict().call();
    result.getMessages().forEach(System.out::println);
    if (result.isFailed()) {
      System.err.println("helm lint failed");
      return 1;
    }
    System.out.println("helm lint passed");
    return 0;
  }
}
