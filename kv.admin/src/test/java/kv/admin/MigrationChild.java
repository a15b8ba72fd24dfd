package kv.admin;

import java.nio.file.Path;
import kv.backend.BackendLocator;

/**
 * The child process of {@link KilledMigrationTest}: migrates {@code args[0]} to engine {@code args[1]}
 * in transactions of 500 entries, printing {@code progress N} after each (and pausing a little, so
 * that the parent's SIGKILL can land anywhere in the copy), then {@code done}.
 */
public final class MigrationChild {
    private MigrationChild() {}

    public static void main(String[] args) {
        EngineMigration.Plan plan = EngineMigration.Plan.to(args[1]).withTxBounds(1L << 30, 500);
        new EngineMigration(BackendLocator.builtIn()).migrate(new DataDir(Path.of(args[0])), plan, p -> {
            System.out.println("progress " + p.entries());
            System.out.flush();
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        System.out.println("done");
    }
}
