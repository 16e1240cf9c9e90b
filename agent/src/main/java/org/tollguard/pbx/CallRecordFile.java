package org.tollguard.pbx;

import java.io.IOException;
import java.nio.file.Path;
import java.time.ZoneId;

/**
 * A PBX's own file of finished calls (Asterisk: cdr_csv's Master.csv), read line by line as {@link CallRecord}s.
 * The adapter knows the file's format; whoever imports the calls sees only PBX-neutral records.
 */
public interface CallRecordFile {
    /** Where the lines of the file go. */
    interface Sink {
        /** A phone's call, from line {@code line}. */
        void call(long line, CallRecord call);

        /** A well-formed line that is not a phone's call (a dialled leg). */
        void notACall(long line);

        /** A line that cannot be read, and why. */
        void bad(long line, String reason);
    }

    /** Reads {@code file}, whose times are local times in {@code zone}. Returns the number of lines. */
    long read(Path file, ZoneId zone, Sink sink) throws IOException;
}
