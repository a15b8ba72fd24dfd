import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.List;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.jar.JarOutputStream;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.ClassVisitor;
import org.objectweb.asm.ClassWriter;
import org.objectweb.asm.Opcodes;

/**
 * Package-time step of kvctl's start-up work (run by bin/kvctl-aot with ASM on the class path, as a
 * single-file program): rewrites the picocli jar in kv.dist's module path from class-file version
 * 49 (Java 5) to 52 with computed stack map frames. Classes older than version 50 cannot be stored
 * linked in a JDK 25 AOT cache ("Old class has been linked"), so every kvctl start loaded and
 * verified picocli's classes from the jar, a quarter of a `kvctl version`. Only the version and the
 * frames change; the bytecode and everything else in the jar are kept. Every rewritten class is
 * then loaded and initialized in a fresh class loader, which verifies it; on any failure the jar
 * is left as it was. Does nothing to a jar already rewritten.
 *
 * usage: java -cp asm.jar PicocliRetarget.java path/to/picocli.jar
 */
public final class PicocliRetarget {
    private static final int TARGET = Opcodes.V1_8;

    public static void main(String[] args) throws Exception {
        Path jar = Path.of(args[0]);
        Path tmp = jar.resolveSibling(jar.getFileName() + ".retarget");
        List<String> classes = new ArrayList<>();
        if (!rewrite(jar, tmp, classes)) {
            Files.deleteIfExists(tmp);
            System.out.println("picocli already at class version >= 50: " + jar);
            return;
        }
        try {
            verify(tmp, classes);
        } catch (Throwable t) {
            Files.deleteIfExists(tmp);
            throw new IllegalStateException("the rewritten picocli does not verify; kept " + jar + ": " + t, t);
        }
        Files.move(tmp, jar, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        System.out.println("picocli rewritten to class version " + (TARGET & 0xffff) + " (" + classes.size() + " classes): " + jar);
    }

    /** Writes the rewritten jar; false when nothing needed rewriting. */
    private static boolean rewrite(Path in, Path out, List<String> classes) throws IOException {
        boolean changed = false;
        try (URLClassLoader frames = new URLClassLoader(new URL[] {in.toUri().toURL()}, ClassLoader.getPlatformClassLoader());
             JarFile jar = new JarFile(in.toFile());
             JarOutputStream jo = new JarOutputStream(Files.newOutputStream(out))) {
            for (Enumeration<JarEntry> e = jar.entries(); e.hasMoreElements(); ) {
                JarEntry entry = e.nextElement();
                byte[] bytes;
                try (InputStream is = jar.getInputStream(entry)) {
                    bytes = is.readAllBytes();
                }
                String name = entry.getName();
                if (name.endsWith(".class") && !name.startsWith("META-INF/") && !name.equals("module-info.class")) {
                    ClassReader reader = new ClassReader(bytes);
                    int major = reader.readUnsignedShort(6);
                    if (major < 50) {
                        bytes = retarget(reader, frames);
                        changed = true;
                    }
                    classes.add(name.substring(0, name.length() - ".class".length()).replace('/', '.'));
                }
                JarEntry copy = new JarEntry(name);
                copy.setTime(entry.getTime());
                jo.putNextEntry(copy);
                jo.write(bytes);
                jo.closeEntry();
            }
        }
        return changed;
    }

    private static byte[] retarget(ClassReader reader, ClassLoader frames) {
        ClassWriter writer = new ClassWriter(ClassWriter.COMPUTE_FRAMES) {
            @Override
            protected ClassLoader getClassLoader() {
                return frames; // common super classes of picocli's own types
            }
        };
        reader.accept(new ClassVisitor(Opcodes.ASM9, writer) {
            @Override
            public void visit(int version, int access, String name, String signature, String superName, String[] interfaces) {
                super.visit(TARGET, access, name, signature, superName, interfaces);
            }
        }, ClassReader.SKIP_FRAMES);
        return writer.toByteArray();
    }

    /** Loads, links (so verifies) and initializes every class of the rewritten jar. */
    private static void verify(Path jar, List<String> classes) throws Exception {
        try (URLClassLoader loader = new URLClassLoader(new URL[] {jar.toUri().toURL()}, ClassLoader.getPlatformClassLoader())) {
            for (String c : classes) {
                Class.forName(c, true, loader);
            }
        }
    }

    private PicocliRetarget() {}
}
