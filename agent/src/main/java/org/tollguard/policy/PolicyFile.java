package org.tollguard.policy;

import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Optional;
import org.tollguard.protocol.ListRejectedException;
import org.tollguard.protocol.PolicyVerifier;
import org.tollguard.protocol.ProtocolJson;
import org.tollguard.protocol.SignedPolicy;
import org.tollguard.protocol.SitePolicy;

/**
 * The last good site policy, kept on disk as the hub signed it, so that it holds across restarts and while the hub
 * is away. Written to a temporary file and moved into place: a crash never leaves half a policy.
 */
public final class PolicyFile {
    private final Path file;

    public PolicyFile(Path file) {
        this.file = file;
    }

    public Optional<SignedPolicy> read() throws IOException {
        if (!Files.exists(file)) {
            return Optional.empty();
        }
        return Optional.of(ProtocolJson.mapper().readValue(file.toFile(), SignedPolicy.class));
    }

    /** The kept policy, if there is one and it still verifies (signature, site, expiry). */
    public Optional<SitePolicy> readVerified(PolicyVerifier verifier, long site) throws IOException, ListRejectedException {
        Optional<SignedPolicy> kept = read();
        return kept.isPresent() ? Optional.of(verifier.verify(kept.get(), site, 0)) : Optional.empty();
    }

    public void write(SignedPolicy policy) throws IOException {
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        Files.write(tmp, ProtocolJson.mapper().writeValueAsBytes(policy));
        try {
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    public Path path() {
        return file;
    }
}
