package org.tollguard.numbers;

import java.util.Map;

/**
 * An immutable digit trie: the value of the longest prefix of a digit string, in one pass over the digits,
 * without allocating. Safe to share between threads once built.
 */
final class PrefixTable<V> {
    private final Node root;
    private final int size;

    private PrefixTable(Node root, int size) {
        this.root = root;
        this.size = size;
    }

    /** A table of {@code prefix -> value}; every prefix is a non-empty string of ASCII digits. */
    static <V> PrefixTable<V> of(Map<String, V> entries) {
        Node root = new Node();
        for (Map.Entry<String, V> e : entries.entrySet()) {
            String prefix = e.getKey();
            if (prefix.isEmpty()) {
                throw new IllegalArgumentException("empty prefix");
            }
            Node node = root;
            for (int i = 0; i < prefix.length(); i++) {
                int d = prefix.charAt(i) - '0';
                if (d < 0 || d > 9) {
                    throw new IllegalArgumentException("'" + prefix + "' is not all digits");
                }
                if (node.children[d] == null) {
                    node.children[d] = new Node();
                }
                node = node.children[d];
            }
            node.value = e.getValue();
        }
        return new PrefixTable<>(root, entries.size());
    }

    /** The value of the longest prefix of {@code digits[from..]} in the table, or {@code null}. */
    @SuppressWarnings("unchecked")
    V longestPrefix(CharSequence digits, int from) {
        Object found = null;
        Node node = root;
        for (int i = from; i < digits.length(); i++) {
            int d = digits.charAt(i) - '0';
            if (d < 0 || d > 9 || (node = node.children[d]) == null) {
                break;
            }
            if (node.value != null) {
                found = node.value;
            }
        }
        return (V) found;
    }

    int size() {
        return size;
    }

    private static final class Node {
        final Node[] children = new Node[10];
        Object value;
    }
}
