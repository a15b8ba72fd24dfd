package kv.backend;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import kv.backend.spi.BackendProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Finding engines: on the class path through ServiceLoader, by name, and the errors an operator sees. */
class BackendLocatorTest {
    @TempDir
    Path tmp;

    @Test
    void findsTheClassPathProviderByName() {
        BackendLocator locator = BackendLocator.builtIn();
        assertInstanceOf(MemoryProvider.class, locator.find("test-mem"));
        BackendLocator.Located l = locator.all().stream().filter(x -> x.name().equals("test-mem")).findFirst().orElseThrow();
        assertTrue(l.origin().startsWith("class path ("), l.origin());
        assertTrue(l.origin().contains("test-classes"), "the origin names where the class came from: " + l.origin());
    }

    @Test
    void unknownNameListsTheKnownOnes() {
        BackendException e = assertThrows(BackendException.class, () -> BackendLocator.builtIn().find("nope"));
        assertEquals("unknown backend \"nope\" (known: test-mem)", e.getMessage());
    }

    @Test
    void twoProvidersWithOneNameAreAnErrorNamingBothOrigins() throws Exception {
        Path dup = tmp.resolve("dup");
        Path services = dup.resolve("META-INF/services/" + BackendProvider.class.getName());
        Files.createDirectories(services.getParent());
        Files.writeString(services, DuplicateNameProvider.class.getName() + "\n");
        Path classFile = dup.resolve("kv/backend/DuplicateNameProvider.class");
        Files.createDirectories(classFile.getParent());
        try (InputStream in = DuplicateNameProvider.class.getResourceAsStream("DuplicateNameProvider.class")) {
            Files.write(classFile, in.readAllBytes());
        }
        Thread t = Thread.currentThread();
        ClassLoader saved = t.getContextClassLoader();
        try (URLClassLoader loader = new ChildFirst(dup.toUri().toURL(), saved)) {
            t.setContextClassLoader(loader);
            BackendException e = assertThrows(BackendException.class, BackendLocator::builtIn);
            assertTrue(e.getMessage().startsWith("two backends are named \"test-mem\": one from class path ("), e.getMessage());
            assertTrue(e.getMessage().contains("test-classes"), "names the first origin: " + e.getMessage());
            assertTrue(e.getMessage().contains(dup.toString()), "names the second origin: " + e.getMessage());
        } finally {
            t.setContextClassLoader(saved);
        }
    }

    /** Loads {@link DuplicateNameProvider} from its own directory, so that it is another class from another place. */
    private static final class ChildFirst extends URLClassLoader {
        ChildFirst(URL url, ClassLoader parent) {
            super(new URL[] {url}, parent);
        }

        @Override
        protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
            if (name.equals(DuplicateNameProvider.class.getName())) {
                synchronized (getClassLoadingLock(name)) {
                    Class<?> c = findLoadedClass(name);
                    return c != null ? c : findClass(name);
                }
            }
            return super.loadClass(name, resolve);
        }
    }

    @Test
    void missingPluginDirectoryIsAClearError() {
        Path absent = tmp.resolve("no-such-dir");
        BackendException e = assertThrows(BackendException.class, () -> BackendLocator.load(absent));
        assertEquals("plug-in directory " + absent + " does not exist or is not a directory", e.getMessage());
    }

    @Test
    void emptyPluginDirectoryAddsNothing() {
        assertEquals(List.of("test-mem"), BackendLocator.load(tmp).all().stream().map(BackendLocator.Located::name).toList());
    }

    @Test
    void aPluginThatIsNotAModuleJarIsAClearErrorNamingIt() throws IOException {
        Path broken = Files.writeString(tmp.resolve("broken.jar"), "not a jar");
        BackendException e = assertThrows(BackendException.class, () -> BackendLocator.load(tmp));
        assertTrue(e.getMessage().startsWith("plug-in " + broken + " failed to load"), e.getMessage());
    }
}
