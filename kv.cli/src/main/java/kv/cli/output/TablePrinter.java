package kv.cli.output;

import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import kv.api.etcdserverpb.MemberListResponse;

/** The table format: only member and endpoint listings, as in etcdctl. */
final class TablePrinter extends BasePrinter {
    TablePrinter(PrintStream out, PrintStream err) {
        super(out, err, "table");
    }

    private void table(List<String> header, List<List<String>> rows) {
        out.writeBytes(Tables.render(header, rows).getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public void memberList(MemberListResponse r) {
        table(Tables.MEMBER_HEADER, Tables.memberRows(r));
    }

    @Override
    public void endpointHealth(List<EndpointResults.Health> r) {
        table(Tables.HEALTH_HEADER, Tables.healthRows(r));
    }

    @Override
    public void endpointStatus(List<EndpointResults.Status> r) {
        table(Tables.STATUS_HEADER, Tables.statusRows(r));
    }

    @Override
    public void snapshotStatus(SnapshotStatus s) {
        table(Tables.SNAPSHOT_HEADER, List.of(Tables.snapshotRow(s)));
    }

    @Override
    public void endpointHashKV(List<EndpointResults.Hash> r) {
        table(Tables.HASH_HEADER, Tables.hashRows(r));
    }
}
