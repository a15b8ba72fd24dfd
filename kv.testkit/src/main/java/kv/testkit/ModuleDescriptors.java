package kv.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.io.InputStream;
import java.lang.module.ModuleDescriptor;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Reads the compiled {@code module-info.class} of the module under test and asserts its shape, so
 * that the module graph cannot drift without a test failing.
 *
 * <p>The build directory comes from the system property {@code kv.build.dir} that the parent POM
 * sets for every module's tests. Stateless and thread-safe.
 */
public final class ModuleDescriptors {
    private static final List<String> DI_NAMES = List.of("com.google.inject", "com.google.guice", "jakarta.inject", "javax.inject");

    private ModuleDescriptors() {}

    /** The descriptor compiled into {@code target/classes} of the module whose tests are running. */
    public static ModuleDescriptor underTest() {
        Path file = buildDir().resolve("classes/module-info.class");
        try (InputStream in = Files.newInputStream(file)) {
            return ModuleDescriptor.read(in);
        } catch (IOException e) {
            throw new AssertionError("cannot read " + file + ": " + e, e);
        }
    }

    /** Exported packages (unqualified exports only) must be exactly {@code expected}. */
    public static void assertExports(ModuleDescriptor d, String... expected) {
        Set<String> actual = d.exports().stream().map(ModuleDescriptor.Exports::source).collect(Collectors.toCollection(TreeSet::new));
        assertEquals(new TreeSet<>(List.of(expected)), actual, d.name() + " exports");
    }

    /** Modules required {@code transitive} must be exactly {@code expected}. */
    public static void assertRequiresTransitive(ModuleDescriptor d, String... expected) {
        Set<String> actual = d.requires().stream()
                .filter(r -> r.modifiers().contains(ModuleDescriptor.Requires.Modifier.TRANSITIVE))
                .map(ModuleDescriptor.Requires::name)
                .collect(Collectors.toCollection(TreeSet::new));
        assertEquals(new TreeSet<>(List.of(expected)), actual, d.name() + " requires transitive");
    }

    /** Every module required (any modifier, {@code java.base} excluded) must be exactly {@code expected}. */
    public static void assertRequires(ModuleDescriptor d, String... expected) {
        Set<String> actual = d.requires().stream().map(ModuleDescriptor.Requires::name)
                .filter(n -> !n.equals("java.base")).collect(Collectors.toCollection(TreeSet::new));
        assertEquals(new TreeSet<>(List.of(expected)), actual, d.name() + " requires");
    }

    /** Services used must be exactly {@code expected}. */
    public static void assertUses(ModuleDescriptor d, String... expected) {
        assertEquals(new TreeSet<>(List.of(expected)), new TreeSet<>(d.uses()), d.name() + " uses");
    }

    /** Services provided, service name to implementation classes, must be exactly {@code expected}. */
    public static void assertProvides(ModuleDescriptor d, Map<String, List<String>> expected) {
        Map<String, List<String>> actual = new TreeMap<>();
        d.provides().forEach(p -> actual.put(p.service(), p.providers()));
        assertEquals(new TreeMap<>(expected), actual, d.name() + " provides");
    }

    /**
     * Dependency injection lives in kv.server only: the module under test neither requires Guice or
     * jakarta.inject nor mentions them in its main sources.
     */
    public static void assertNoDependencyInjection(ModuleDescriptor d) {
        for (ModuleDescriptor.Requires r : d.requires()) {
            for (String di : DI_NAMES) {
                assertTrue(!r.name().startsWith(di), d.name() + " requires " + r.name());
            }
        }
        Path sources = buildDir().getParent().resolve("src/main/java");
        try (Stream<Path> files = Files.walk(sources)) {
            for (Path f : files.filter(p -> p.toString().endsWith(".java")).toList()) {
                String text = Files.readString(f);
                for (String di : DI_NAMES) {
                    if (text.contains(di)) {
                        fail(f + " mentions " + di + ": dependency injection belongs to kv.server");
                    }
                }
            }
        } catch (IOException e) {
            throw new AssertionError("cannot scan " + sources + ": " + e, e);
        }
    }

    private static Path buildDir() {
        String dir = System.getProperty("kv.build.dir");
        if (dir == null) {
            throw new AssertionError("system property kv.build.dir is not set (the parent POM sets it for surefire)");
        }
        return Path.of(dir);
    }
}
