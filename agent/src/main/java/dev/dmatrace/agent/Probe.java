package dev.dmatrace.agent;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * One line of a probe file: a method without the kernel annotation to trace anyway (the JMC agent's idea).
 * <pre>
 *   # class#method           [event=NAME]     [args=a,b:field | args=* | args=-]   [ret=no]
 *   com.example.Pool#grab    event=pool_grab  args=size:bytes,flags
 * </pre>
 * An argument is named by its Java or snake_case name; {@code :field} names its event field.
 *
 * @param args the parameters to capture, each mapped to its field name ({@code null}: the kernel way), or
 *             {@code null} for all capturable ones
 */
record Probe(String className, String methodName, String eventName, Map<String, String> args, boolean captureResult,
             String source) {

    /** The field for a parameter, or {@code null} if the probe does not capture it. */
    String fieldFor(String javaName, String kernelName) {
        if (args == null) {
            return kernelName;
        }
        String key = args.containsKey(javaName) ? javaName : args.containsKey(kernelName) ? kernelName : null;
        if (key == null) {
            return null;
        }
        return args.get(key) == null ? kernelName : args.get(key);
    }

    static List<Probe> read(Path file, Consumer<String> warn) {
        List<Probe> probes = new ArrayList<>();
        List<String> lines;
        try {
            lines = Files.readAllLines(file);
        } catch (IOException e) {
            warn.accept("cannot read probe file " + file + " (" + e.getMessage() + "), no probes loaded");
            return probes;
        }
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).replaceFirst("#\\s.*$|^#.*$", "").trim();
            if (!line.isEmpty()) {
                String where = file.getFileName() + ":" + (i + 1);
                Probe p = parse(line, where, warn);
                if (p != null) {
                    probes.add(p);
                }
            }
        }
        return probes;
    }

    private static Probe parse(String line, String where, Consumer<String> warn) {
        String[] words = line.split("\\s+");
        int hash = words[0].indexOf('#');
        if (hash <= 0 || hash == words[0].length() - 1) {
            warn.accept(where + ": expected class#method, got '" + words[0] + "'; line ignored");
            return null;
        }
        String event = null;
        Map<String, String> args = null;
        boolean result = true;
        for (int w = 1; w < words.length; w++) {
            String word = words[w];
            if (word.startsWith("event=")) {
                event = word.substring(6);
            } else if (word.equals("args=*")) {
                args = null;
            } else if (word.equals("args=-")) {
                args = Map.of();
            } else if (word.startsWith("args=")) {
                args = new LinkedHashMap<>();
                for (String arg : word.substring(5).split(",")) {
                    int colon = arg.indexOf(':');
                    args.put(colon < 0 ? arg : arg.substring(0, colon), colon < 0 ? null : arg.substring(colon + 1));
                }
            } else if (word.equals("ret=no") || word.equals("ret=yes")) {
                result = word.equals("ret=yes");
            } else {
                warn.accept(where + ": unknown probe setting '" + word + "' ignored");
            }
        }
        return new Probe(words[0].substring(0, hash), words[0].substring(hash + 1), event, args, result, where);
    }
}
