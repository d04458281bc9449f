package org.blockwatch.helper.http;

import java.nio.file.Path;
import org.eclipse.jetty.server.CustomRequestLog;
import org.eclipse.jetty.server.RequestLog;
import org.eclipse.jetty.server.RequestLogWriter;

/**
 * Access logs in NCSA's combined format, one line per request, appended to a file, with the
 * client's address written as {@code -}: the probes are volunteers inside a censored network, and
 * this program never records where they connect from (docs/interfaces.md). Everything else of the
 * combined format is kept, so that the usual tools read the file.
 */
public final class AccessLog {
    /** Combined: host ident user [time] "request line" status bytes "referer" "user-agent"; the host left out. */
    static final String FORMAT = "- - %u %t \"%r\" %s %O \"%{Referer}i\" \"%{User-Agent}i\"";

    private AccessLog() {}

    public static RequestLog to(Path file) {
        RequestLogWriter writer = new RequestLogWriter(file.toAbsolutePath().toString());
        writer.setAppend(true);
        writer.setTimeZone("UTC");
        return new CustomRequestLog(writer, FORMAT);
    }
}
