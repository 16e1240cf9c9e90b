package org.tollguard.blacklist;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.util.LinkedHashMap;
import java.util.Map;

/** A plain list over HTTP(S), fetched conditionally (ETag, Last-Modified). */
final class PlainListSource implements ListSource {
    private final ListHttp http;
    private final URI url;

    PlainListSource(ListHttp http, String url) {
        this.http = http;
        this.url = URI.create(url);
    }

    @Override
    public Result fetch(Validators since, Intake intake, SyncProgress progress, Deadline deadline)
            throws IOException, ListException {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Accept", "text/plain, */*");
        if (since.etag() != null) {
            headers.put("If-None-Match", since.etag());
        }
        if (since.cursor() != null) {
            headers.put("If-Modified-Since", since.cursor());
        }
        return http.get(url, headers, deadline.remaining(), response -> {
            int status = response.getCode();
            if (status == 304) {
                return new NotModified();
            }
            if (status != 200) {
                throw new ListException("HTTP " + status + " from " + url + ListSource.snippet(response));
            }
            try (InputStream body = ListSource.body(response, progress)) {
                PlainListParser.parse(body, intake, progress);
            }
            return new Full(intake.build(), new Validators(ListHttp.header(response, "ETag"),
                    ListHttp.header(response, "Last-Modified")));
        });
    }
}
