package kv.cli.output;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import kv.api.etcdserverpb.Member;
import kv.api.etcdserverpb.MemberListResponse;
import kv.api.etcdserverpb.StatusResponse;

/**
 * The rows etcdctl shows for members and endpoints (joined with ", " by the simple format, boxed by
 * the table format), and the box itself as olekukonko/tablewriter draws it: upper-case centred
 * headers, right-aligned cells. Stateless.
 */
final class Tables {
    static final List<String> MEMBER_HEADER = List.of("ID", "Status", "Name", "Peer Addrs", "Client Addrs", "Is Learner");
    static final List<String> HEALTH_HEADER = List.of("endpoint", "health", "took", "error");
    static final List<String> STATUS_HEADER = List.of("endpoint", "ID", "version", "db size", "is leader", "is learner",
            "raft term", "raft index", "raft applied index", "errors");
    static final List<String> HASH_HEADER = List.of("endpoint", "hash");
    static final List<String> SNAPSHOT_HEADER = List.of("hash", "revision", "total keys", "total size");

    private Tables() {}

    static List<List<String>> memberRows(MemberListResponse r) {
        List<List<String>> rows = new ArrayList<>();
        for (Member m : r.getMembersList()) {
            rows.add(List.of(Long.toHexString(m.getID()), m.getName().isEmpty() ? "unstarted" : "started", m.getName(),
                    String.join(",", m.getPeerURLsList()), String.join(",", m.getClientURLsList()), Boolean.toString(m.getIsLearner())));
        }
        return rows;
    }

    static List<List<String>> healthRows(List<EndpointResults.Health> hs) {
        return hs.stream().map(h -> List.of(h.endpoint(), Boolean.toString(h.health()), h.took(), h.error())).toList();
    }

    static List<List<String>> statusRows(List<EndpointResults.Status> ss) {
        List<List<String>> rows = new ArrayList<>();
        for (EndpointResults.Status s : ss) {
            StatusResponse r = s.status();
            rows.add(List.of(s.endpoint(), Long.toHexString(r.getHeader().getMemberId()), r.getVersion(), GoText.humanBytes(r.getDbSize()),
                    Boolean.toString(r.getLeader() == r.getHeader().getMemberId()), Boolean.toString(r.getIsLearner()),
                    Long.toUnsignedString(r.getRaftTerm()), Long.toUnsignedString(r.getRaftIndex()),
                    Long.toUnsignedString(r.getRaftAppliedIndex()), String.join(", ", r.getErrorsList())));
        }
        return rows;
    }

    static List<List<String>> hashRows(List<EndpointResults.Hash> hs) {
        return hs.stream().map(h -> List.of(h.endpoint(), Integer.toUnsignedString(h.hash().getHash()))).toList();
    }

    static List<String> snapshotRow(SnapshotStatus s) {
        return List.of(s.hash(), s.revisionText(), Long.toString(s.totalKeys()), GoText.humanBytes(s.totalSize()));
    }

    /** The boxed table, every line ending in a newline. */
    static String render(List<String> header, List<List<String>> rows) {
        int[] width = new int[header.size()];
        for (int c = 0; c < width.length; c++) {
            width[c] = header.get(c).length();
            for (List<String> row : rows) {
                width[c] = Math.max(width[c], row.get(c).codePointCount(0, row.get(c).length()));
            }
        }
        StringBuilder border = new StringBuilder("+");
        for (int w : width) {
            border.append("-".repeat(w + 2)).append('+');
        }
        StringBuilder sb = new StringBuilder().append(border).append('\n').append('|');
        for (int c = 0; c < width.length; c++) {
            String title = header.get(c).toUpperCase(Locale.ROOT).replace('_', ' ');
            int left = (width[c] - title.length()) / 2;
            sb.append(' ').append(" ".repeat(left)).append(title).append(" ".repeat(width[c] - title.length() - left)).append(" |");
        }
        sb.append('\n').append(border).append('\n');
        for (List<String> row : rows) {
            sb.append('|');
            for (int c = 0; c < width.length; c++) {
                String cell = row.get(c);
                sb.append(' ').append(" ".repeat(width[c] - cell.codePointCount(0, cell.length()))).append(cell).append(" |");
            }
            sb.append('\n');
        }
        return sb.append(border).append('\n').toString();
    }
}
