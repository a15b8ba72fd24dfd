package kv.backend;

import java.io.IOException;
import java.lang.module.Configuration;
import java.lang.module.FindException;
import java.lang.module.ModuleFinder;
import java.lang.module.ResolutionException;
import java.lang.LayerInstantiationException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import kv.backend.spi.BackendProvider;

/**
 * The one place that loads storage engines. Finds every {@link BackendProvider} visible to the
 * application (module path or class path) and, when a plug-in directory is given, in each plug-in
 * there: a jar, or a folder of jars, loaded as its own {@link ModuleLayer} whose parent is the boot
 * layer, so a plug-in sees kv.backend and the JDK and nothing else of kv.
 *
 * <p>Immutable once built; thread-safe.
 */
public final class BackendLocator {
    /** The engine used when none is named. */
    public static final String DEFAULT_ENGINE = "jbolt";

    private final Map<String, Located> byName;

    private BackendLocator(Map<String, Located> byName) {
        this.byName = byName;
    }

    /**
     * A provider and where it came from: {@code "module path (module)"}, {@code "class path (location)"},
     * or the plug-in's path.
     */
    public record Located(BackendProvider provider, String origin) {
        public String name() {
            return provider.name();
        }
    }

    /** Providers visible to the application, without plug-ins. */
    public static BackendLocator builtIn() {
        return load(null);
    }

    /**
     * Providers visible to the application plus those in {@code pluginDir} (may be {@code null}).
     *
     * @throws BackendException when a plug-in cannot be loaded, or two providers share a name; the
     *     message names the plug-in path or both origins
     */
    public static BackendLocator load(Path pluginDir) {
        Map<String, Located> found = new LinkedHashMap<>();
        for (BackendProvider p : providers(ServiceLoader.load(BackendProvider.class))) {
            Module m = p.getClass().getModule();
            add(found, new Located(p, m.isNamed() ? "module path (" + m.getName() + ")" : "class path (" + codeSource(p) + ")"));
        }
        if (pluginDir != null) {
            for (Path plugin : plugins(pluginDir)) {
                for (BackendProvider p : providers(ServiceLoader.load(pluginLayer(plugin), BackendProvider.class))) {
                    add(found, new Located(p, plugin.toString()));
                }
            }
        }
        return new BackendLocator(Map.copyOf(found));
    }

    /** Every provider found, sorted by name. */
    public List<Located> all() {
        return byName.values().stream().sorted(Comparator.comparing(Located::name)).toList();
    }

    /**
     * The provider named {@code name}.
     *
     * @throws BackendException naming the unknown engine and listing the known ones
     */
    public BackendProvider find(String name) {
        Located l = byName.get(name);
        if (l == null) {
            throw new BackendException("unknown backend \"" + name + "\" (known: "
                    + all().stream().map(Located::name).collect(Collectors.joining(", ")) + ")");
        }
        return l.provider();
    }

    private static void add(Map<String, Located> found, Located l) {
        Located prior = found.putIfAbsent(l.name(), l);
        if (prior != null && prior.provider().getClass() != l.provider().getClass()) {
            throw new BackendException("two backends are named \"" + l.name() + "\": one from " + prior.origin()
                    + ", one from " + l.origin());
        }
    }

    /** Where a class-path provider's class was loaded from, so that a duplicate can be traced to its jar. */
    private static String codeSource(BackendProvider p) {
        var source = p.getClass().getProtectionDomain().getCodeSource();
        return source == null || source.getLocation() == null ? p.getClass().getName() : source.getLocation().toString();
    }

    private static List<BackendProvider> providers(ServiceLoader<BackendProvider> loader) {
        List<BackendProvider> out = new ArrayList<>();
        try {
            loader.stream().forEach(p -> out.add(p.get()));
        } catch (ServiceConfigurationError e) {
            throw new BackendException("a backend provider failed to load: " + e.getMessage(), e);
        }
        return out;
    }

    private static List<Path> plugins(Path dir) {
        if (!Files.isDirectory(dir)) {
            throw new BackendException("plug-in directory " + dir + " does not exist or is not a directory");
        }
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> Files.isDirectory(p) || p.toString().endsWith(".jar")).sorted().toList();
        } catch (IOException e) {
            throw new BackendException("cannot list plug-in directory " + dir + ": " + e.getMessage(), e);
        }
    }

    private static ModuleLayer pluginLayer(Path plugin) {
        try {
            ModuleFinder finder = ModuleFinder.of(plugin);
            Set<String> roots = finder.findAll().stream().map(r -> r.descriptor().name()).collect(Collectors.toSet());
            if (roots.isEmpty()) {
                throw new BackendException("plug-in " + plugin + " holds no module");
            }
            ModuleLayer parent = ModuleLayer.boot();
            Configuration cf = parent.configuration().resolveAndBind(finder, ModuleFinder.of(), roots);
            ClassLoader scl = ClassLoader.getSystemClassLoader();
            return parent.defineModulesWithOneLoader(cf, scl);
        } catch (FindException | ResolutionException | LayerInstantiationException e) {
            throw new BackendException("plug-in " + plugin + " failed to load: " + e.getMessage(), e);
        }
    }
}
