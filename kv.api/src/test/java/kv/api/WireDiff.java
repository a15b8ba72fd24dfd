package kv.api;

import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * The difference between an expected and an actual {@link WireDescription}: lines only in the
 * expected one ({@code missing}) and lines only in the actual one ({@code extra}). A changed field
 * shows up as one missing and one extra line.
 */
record WireDiff(List<String> missing, List<String> extra) {
    WireDiff {
        missing = List.copyOf(missing);
        extra = List.copyOf(extra);
    }

    static WireDiff between(List<String> expected, List<String> actual) {
        Set<String> exp = new TreeSet<>(expected);
        Set<String> act = new TreeSet<>(actual);
        return new WireDiff(exp.stream().filter(l -> !act.contains(l)).toList(),
                act.stream().filter(l -> !exp.contains(l)).toList());
    }

    boolean isEmpty() {
        return missing.isEmpty() && extra.isEmpty();
    }

    /** A report for a failing assertion: "- line" for missing, "+ line" for extra. */
    String report() {
        StringBuilder sb = new StringBuilder("wire shape differs from etcd's (")
                .append(missing.size()).append(" missing, ").append(extra.size()).append(" extra)\n");
        missing.forEach(l -> sb.append("- ").append(l).append('\n'));
        extra.forEach(l -> sb.append("+ ").append(l).append('\n'));
        return sb.toString();
    }
}
