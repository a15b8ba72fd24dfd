package example.kv.backend.memlog;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.module.ModuleDescriptor;
import java.lang.module.ModuleFinder;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import kv.backend.BackendLocator;
import org.junit.jupiter.api.Test;

/** What makes memlog a plug-in: its module descriptor, and its service entry on the class path. */
class PluginPackagingTest {
    @Test
    void moduleDescriptorRequiresOnlyTheSpiAndProvidesTheEngine() {
        ModuleDescriptor d = ModuleFinder.of(Path.of("target", "classes")).find("example.kv.backend.memlog")
                .orElseThrow(() -> new AssertionError("target/classes holds no module example.kv.backend.memlog"))
                .descriptor();
        assertEquals(Set.of("java.base", "kv.backend"), d.requires().stream().map(ModuleDescriptor.Requires::name).collect(Collectors.toSet()));
        assertEquals(Set.of(), d.exports(), "a plug-in exports nothing");
        assertEquals(1, d.provides().size());
        ModuleDescriptor.Provides p = d.provides().iterator().next();
        assertEquals("kv.backend.spi.BackendProvider", p.service());
        assertEquals(List.of(MemlogProvider.class.getName()), p.providers());
    }

    @Test
    void theLocatorFindsMemlogOnTheClassPath() {
        BackendLocator.Located memlog = BackendLocator.builtIn().all().stream().filter(l -> l.name().equals("memlog"))
                .findFirst().orElseThrow(() -> new AssertionError("memlog not found through META-INF/services"));
        assertTrue(memlog.origin().startsWith("class path"), memlog.origin());
        assertEquals(MemlogProvider.class, memlog.provider().getClass());
    }
}
