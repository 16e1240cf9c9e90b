package org.tollguard.installer;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;
import org.tollguard.testbed.Testbed;
import org.tollguard.testbed.Testbed.Result;

/**
 * asterisk-conf/manager_tollguard.conf, as install.sh drops it into manager.d/, loaded by the real Asterisk
 * 22 of the testbed: the user logs in from loopback only and may do what tollguard needs (CoreShowChannels,
 * Hangup) and nothing more (no Originate, Command or Reload).
 */
class AmiUserTemplateIT {
    private static final String USER = "tollguard-installtest"; // the testbed has its own "tollguard"

    @Test
    void theAmiUserMayDoWhatTollguardNeedsAndNothingMore() throws Exception {
        Testbed.up();
        byte[] random = new byte[24];
        new SecureRandom().nextBytes(random);
        String secret = HexFormat.of().formatHex(random);
        String template = Files.readString(Testbed.root().resolve("asterisk-conf/manager_tollguard.conf"));
        assertTrue(template.contains("[tollguard]") && template.contains("@SECRET@"), template);
        Path dropIn = Path.of("/run/tollguard-testbed/rootfs/etc/asterisk/manager.d/" + USER + ".conf");
        Files.writeString(dropIn, template.replace("@SECRET@", secret).replace("[tollguard]", "[" + USER + "]"));
        String probe = TestRoot.fixtures().resolve("ami-probe.py").toString();
        try {
            Result reload = Testbed.cli("manager reload");
            assertTrue(reload.exit() == 0, reload.output());

            String local = Testbed.pbx(30, "python3", probe, "127.0.0.1", USER, secret).output();
            assertTrue(local.contains("Login | Response: Success"), local);
            assertTrue(local.contains("CoreShowChannels | Response: Success"), local);
            assertTrue(local.contains("Hangup | Response: Error | Message: No such channel"), "Hangup is allowed: " + local);
            assertTrue(local.contains("Originate | Response: Error | Message: Permission denied"), local);
            assertTrue(local.contains("Command | Response: Error | Message: Permission denied"), local);
            assertTrue(local.contains("Reload | Response: Error | Message: Permission denied"), local);

            String wrongSecret = Testbed.pbx(30, "python3", probe, "127.0.0.1", USER, "not-" + secret).output();
            assertTrue(wrongSecret.contains("Login | Response: Error | Message: Authentication failed"), wrongSecret);

            // from anywhere but loopback (here: the host over the management link) the right secret fails too
            String remote = Testbed.run(30, "python3", probe, Testbed.AMI_HOST, USER, secret).output();
            assertTrue(remote.contains("Login | Response: Error | Message: Authentication failed"), remote);
        } finally {
            Files.deleteIfExists(dropIn);
            Testbed.cli("manager reload");
        }
    }
}
