package org.tollguard.hub.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * CPU time (user + system, from {@code /proc/PID/stat}) a process has used so far; with {@link #withChildren} also
 * what its children used (the live ones, and the exited ones the process has reaped): PostgreSQL's postmaster and
 * its backends. On a shared machine, CPU seconds per report are the figure that does not depend on the load.
 */
record ProcessCpu(long pid, boolean withChildren) {
    private static final double SECONDS_PER_TICK = 0.01; // CLK_TCK is 100 on Linux

    static ProcessCpu of(long pid) {
        return new ProcessCpu(pid, false);
    }

    static ProcessCpu tree(long pid) {
        return new ProcessCpu(pid, true);
    }

    double seconds() {
        long[] own = ticks(pid);
        long total = own[0] + own[1];
        if (withChildren) {
            total += own[2] + own[3];
            for (ProcessHandle child : ProcessHandle.of(pid).map(p -> p.children().toList()).orElse(java.util.List.of())) {
                long[] c = ticks(child.pid());
                total += c[0] + c[1];
            }
        }
        return total * SECONDS_PER_TICK;
    }

    /** utime, stime, cutime, cstime; zeros once the process is gone. */
    private static long[] ticks(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            // after "pid (comm) ": state is field 3, so utime (14) is f[11], stime f[12], cutime f[13], cstime f[14]
            return new long[] {Long.parseLong(f[11]), Long.parseLong(f[12]), Long.parseLong(f[13]),
                    Long.parseLong(f[14])};
        } catch (IOException e) {
            return new long[4];
        }
    }
}
