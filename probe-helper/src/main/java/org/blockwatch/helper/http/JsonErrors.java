package org.blockwatch.helper.http;

import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.Callback;

/**
 * The answers Jetty makes itself (a head too large, a bad request line, a timeout) in the
 * servers' own form, {@code {"error": ...}}: no HTML page, no stack, no server version.
 */
final class JsonErrors extends ErrorHandler {
    @Override
    public boolean handle(Request request, Response response, Callback callback) {
        int status = response.getStatus();
        Object message = request.getAttribute(ERROR_MESSAGE);
        String text = message instanceof String s && !s.isBlank() ? s : HttpStatus.getMessage(status);
        Replies.error(response, callback, status, text);
        return true;
    }
}
