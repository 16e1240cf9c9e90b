package org.tollguard.yamlconfig;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;

/**
 * Finds the line of a key path ({@code ban.rules[1].window}) in YAML text. Jackson reports where its parser
 * happened to stop, which after skipping an unknown value is often the next line; operators need the line
 * of the key itself.
 */
public final class YamlLocator {
    private static final YAMLFactory YAML = new YAMLFactory();

    private YamlLocator() {}

    /** The 1-based line where the key at {@code path} starts, or -1 if it is not there. */
    public static int lineOf(String yaml, List<Object> path) {
        if (path.isEmpty()) {
            return -1;
        }
        try (JsonParser p = YAML.createParser(yaml)) {
            Deque<Object> current = new ArrayDeque<>();
            Deque<Integer> arrayIndex = new ArrayDeque<>();
            JsonToken t;
            while ((t = p.nextToken()) != null) {
                switch (t) {
                    case FIELD_NAME -> {
                        replaceLast(current, p.currentName());
                        if (matches(current, path)) {
                            return p.currentTokenLocation().getLineNr();
                        }
                    }
                    case START_OBJECT -> {
                        Integer line = enterValue(current, arrayIndex, path, p);
                        if (line != null) {
                            return line;
                        }
                        current.addLast(Marker.KEY);
                    }
                    case START_ARRAY -> {
                        Integer line = enterValue(current, arrayIndex, path, p);
                        if (line != null) {
                            return line;
                        }
                        current.addLast(-1);
                        arrayIndex.push(-1);
                    }
                    case END_OBJECT -> current.removeLast();
                    case END_ARRAY -> {
                        current.removeLast();
                        arrayIndex.pop();
                    }
                    default -> {
                        Integer line = enterValue(current, arrayIndex, path, p);
                        if (line != null) {
                            return line;
                        }
                    }
                }
            }
        } catch (IOException e) {
            return -1;
        }
        return -1;
    }

    /** Counts array elements as they start; returns a line if the element itself is the target. */
    private static Integer enterValue(Deque<Object> current, Deque<Integer> arrayIndex, List<Object> path, JsonParser p) {
        if (!current.isEmpty() && current.peekLast() instanceof Integer) {
            int next = arrayIndex.pop() + 1;
            arrayIndex.push(next);
            current.removeLast();
            current.addLast(next);
            if (matches(current, path)) {
                return p.currentTokenLocation().getLineNr();
            }
        }
        return null;
    }

    private static void replaceLast(Deque<Object> current, String name) {
        current.removeLast();
        current.addLast(name);
    }

    private static boolean matches(Deque<Object> current, List<Object> path) {
        if (current.size() != path.size()) {
            return false;
        }
        int i = 0;
        for (Object o : current) {
            if (!o.equals(path.get(i++))) {
                return false;
            }
        }
        return true;
    }

    private enum Marker { KEY }
}
