package io.mocoj.plugin;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.ServiceLoader;
import java.util.stream.Stream;

/**
 * Extra jars whose services (methods, evaluators, task sources, model-spec resolvers) are found
 * next to MoCo-J's own: {@code Plugins.install(List.of(Path.of("plugins")))} adds every
 * {@code *.jar} of the folder. The CLI calls it for {@code --plugins DIR} and {@code MOCO_PLUGINS}.
 * Every registry of MoCo-J looks its services up through {@link #load}.
 */
public final class Plugins {
    private Plugins() {}

    private static volatile ClassLoader loader;
    private static volatile List<Path> jars = List.of();
    private static final List<URLClassLoader> opened = new ArrayList<>();

    /**
     * Adds the jars of each entry (a folder: its {@code *.jar} files, sorted; or one jar file) and
     * returns the jars added. Calling it again adds to the jars installed before.
     *
     * @throws IllegalArgumentException when an entry does not exist or a folder holds no jar
     */
    public static synchronized List<Path> install(List<Path> entries) {
        List<Path> found = new ArrayList<>();
        for (Path e : entries) {
            if (Files.isDirectory(e)) {
                try (Stream<Path> s = Files.list(e)) {
                    List<Path> inDir = s.filter(p -> p.getFileName().toString().endsWith(".jar")).sorted().toList();
                    if (inDir.isEmpty()) throw new IllegalArgumentException("plugin folder " + e + " holds no .jar file; put the plugin jars there");
                    found.addAll(inDir);
                } catch (IOException ex) {
                    throw new UncheckedIOException("cannot list the plugin folder " + e + ": " + ex.getMessage(), ex);
                }
            } else if (Files.isRegularFile(e) && e.getFileName().toString().endsWith(".jar")) {
                found.add(e);
            } else {
                throw new IllegalArgumentException("plugin path " + e + " is neither a folder of jars nor a .jar file"
                        + (Files.exists(e) ? "" : " (it does not exist)"));
            }
        }
        if (found.isEmpty()) return List.of();
        List<URL> urls = new ArrayList<>();
        for (Path p : found) {
            try {
                urls.add(p.toAbsolutePath().toUri().toURL());
            } catch (MalformedURLException ex) {
                throw new IllegalArgumentException("bad plugin path " + p, ex);
            }
        }
        // A later install chains onto the earlier loader, so earlier plugins stay visible.
        URLClassLoader l = new URLClassLoader("mocoj-plugins", urls.toArray(URL[]::new), classLoader());
        opened.add(l);
        loader = l;
        List<Path> all = new ArrayList<>(jars);
        all.addAll(found);
        jars = List.copyOf(all);
        return List.copyOf(found);
    }

    /** The plugin entries of a path list such as {@code MOCO_PLUGINS} ({@code :}-separated, {@code ;} on Windows). */
    public static List<Path> parsePathList(String list) {
        if (list == null || list.isBlank()) return List.of();
        return Stream.of(list.split(java.io.File.pathSeparator)).filter(s -> !s.isBlank()).map(String::trim).map(Path::of).toList();
    }

    /** Forgets every installed plugin and closes its class loader (the CLI does this when a command ends). */
    public static synchronized void reset() {
        loader = null;
        jars = List.of();
        for (URLClassLoader u : opened) {
            try {
                u.close();
            } catch (IOException ignored) {
                // nothing is left to release that the JVM would not release at exit
            }
        }
        opened.clear();
    }

    /** The jars installed so far. */
    public static List<Path> jars() { return jars; }

    /** The class loader that sees MoCo-J and every installed plugin. */
    public static ClassLoader classLoader() {
        ClassLoader l = loader;
        return l != null ? l : Plugins.class.getClassLoader();
    }

    /** The providers of a service on the class path and in the installed plugins. */
    public static <S> ServiceLoader<S> load(Class<S> service) {
        return ServiceLoader.load(service, classLoader());
    }
}
