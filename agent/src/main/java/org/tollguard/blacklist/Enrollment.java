package org.tollguard.blacklist;

import com.fasterxml.jackson.core.JsonProcessingException;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import javax.net.ssl.SSLException;
import org.tollguard.Version;
import org.tollguard.protocol.EnrollRequest;
import org.tollguard.protocol.HubPaths;
import org.tollguard.protocol.TrustedComment;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.tollguard.config.HubConfig;
import org.tollguard.protocol.EnrollResponse;
import org.tollguard.protocol.ProtocolJson;
import org.tollguard.protocol.minisign.MinisignException;
import org.tollguard.protocol.minisign.MinisignPublicKey;

/**
 * What {@code tollguard enroll URL TOKEN} got from the hub and keeps in {@code hub.credential-file} (mode 0600,
 * owned like its directory, so root and the tollguard user can read it): the agent's own credential, sent as a
 * Bearer token on every request, and the list it takes with the keys that list is signed with.
 */
public record Enrollment(String hub, String agentId, String site, String credential, String list,
                         List<String> publicKeys, Instant enrolledAt, Long siteId) {

    public Enrollment(String hub, String agentId, String site, String credential, String list,
                      List<String> publicKeys, Instant enrolledAt) {
        this(hub, agentId, site, credential, list, publicKeys, enrolledAt, null);
    }

    public static Enrollment of(String hub, EnrollResponse response, Instant at) {
        return new Enrollment(hub, response.agentId(), response.site(), response.credential(), response.list(),
                response.publicKeys() == null ? List.of() : response.publicKeys(), at, response.siteId());
    }

    /**
     * {@code POST /v1/enroll}: exchanges the one-time {@code token} for this agent's own credential. {@code hub}
     * names the URL and how its certificate is checked.
     */
    public static Enrollment enroll(HubConfig hub, String token, String hostname, Instant now) throws ListException {
        byte[] body;
        try {
            body = ProtocolJson.mapper().writeValueAsBytes(new EnrollRequest(ProtocolJson.VERSION, token, hostname,
                    Version.get()));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        URI uri = URI.create(hub.url() + HubPaths.ENROLL);
        EnrollResponse response;
        try (ListHttp http = new ListHttp(hub.caFile())) {
            response = http.postJson(uri, Map.of("Accept", "application/json"), body, Duration.ofSeconds(30), r -> {
                int status = r.getCode();
                if (status != 200) {
                    throw new ListException("the hub refused the enrollment (HTTP " + status + ")"
                            + ListSource.snippet(r));
                }
                try (InputStream in = r.getEntity().getContent()) {
                    return ProtocolJson.mapper().readValue(in, EnrollResponse.class);
                } catch (JsonProcessingException e) {
                    throw new ListException("the hub's enrollment answer is not an enrollment: " + e.getOriginalMessage());
                }
            });
        } catch (SSLException e) {
            throw new ListException("the hub's certificate is not trusted (" + e.getMessage() + "); pin its CA with"
                    + " hub.ca-file", e);
        } catch (IOException e) {
            throw new ListException("cannot reach the hub at " + uri + ": " + e.getMessage(), e);
        }
        if (response.protocol() != ProtocolJson.VERSION || response.credential() == null
                || response.credential().isBlank() || response.list() == null
                || !TrustedComment.LIST_NAME.matcher(response.list()).matches()) {
            throw new ListException("the hub's enrollment answer lacks a credential or a list name");
        }
        Enrollment e = of(hub.url(), response, now);
        if (hub.publicKeys().isEmpty()) {
            e.trustedKeys(hub); // the keys the hub gave must be usable
        }
        return e;
    }

    /** The enrollment for {@code hub}, or a clear reason why the agent cannot talk to the hub as itself. */
    public static Enrollment load(HubConfig hub) throws ListException {
        Path file = hub.credentialFile();
        Enrollment e;
        try {
            e = ProtocolJson.mapper().readValue(Files.readAllBytes(file), Enrollment.class);
        } catch (NoSuchFileException x) {
            throw new ListException("not enrolled with the hub: no " + file + " (run `tollguard enroll " + hub.url()
                    + " TOKEN` with a token from the hub's operator)");
        } catch (AccessDeniedException x) {
            throw new ListException("cannot read the hub credential " + file + ": run as root or the tollguard user");
        } catch (IOException x) {
            throw new ListException("the hub credential " + file + " is not readable: " + x.getMessage()
                    + " (enroll again)");
        }
        if (e.credential() == null || e.credential().isBlank() || e.list() == null) {
            throw new ListException("the hub credential " + file + " has no credential or list (enroll again)");
        }
        if (e.hub() != null && !e.hub().equals(hub.url())) {
            throw new ListException("the hub credential " + file + " is for " + e.hub() + ", not hub.url " + hub.url()
                    + " (enroll again with the new hub)");
        }
        return e;
    }

    /** The keys the list must be signed with: those pinned in the config file, else those from enrollment. */
    public List<MinisignPublicKey> trustedKeys(HubConfig hub) throws ListException {
        if (!hub.publicKeys().isEmpty()) {
            return hub.parsedPublicKeys();
        }
        List<MinisignPublicKey> keys = new ArrayList<>();
        for (String k : publicKeys) {
            try {
                keys.add(MinisignPublicKey.parse(k));
            } catch (MinisignException x) {
                throw new ListException("the hub credential file holds a broken public key: " + x.getMessage());
            }
        }
        if (keys.isEmpty()) {
            throw new ListException("no public key to check the hub's list with (hub.public-keys is empty and the"
                    + " enrollment gave none)");
        }
        return keys;
    }

    /** The site id the hub's signed policy must name; older enrollments did not keep it. */
    public long requireSiteId() throws ListException {
        if (siteId == null) {
            throw new ListException("the hub credential does not name this agent's site id (enroll again)");
        }
        return siteId;
    }

    /** Writes the file readable only by its owner, through a temporary file and a rename. */
    public void write(Path file) throws IOException {
        Path dir = file.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        Path tmp = Files.createTempFile(dir, ".hub-enrollment", ".tmp",
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        try {
            Files.write(tmp, ProtocolJson.mapper().writerWithDefaultPrettyPrinter().writeValueAsBytes(this));
            Files.setOwner(tmp, Files.getOwner(dir)); // /var/lib/tollguard belongs to the tollguard user
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    @Override
    public String toString() {
        return "Enrollment[hub=" + hub + ", agent=" + agentId + ", site=" + site + ", list=" + list + "]";
    }
}
