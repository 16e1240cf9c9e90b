package org.tollguard.freeswitch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.tollguard.config.FreeSwitchConfig;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/**
 * The files of freeswitch-conf/ agree with the agent: the include calls the agent's default pre-dial address and
 * the verdict context, and the verdict context applies the fail mode. FreeSWITCH's dialplan regexes are PCRE; the
 * ones used there are plain enough that Java reads them the same way.
 */
class DialplanIncludeTest {
    private static final Path CONF = Path.of("..", "freeswitch-conf");

    private static Document xml(String relative) throws Exception {
        DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
        f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
        return f.newDocumentBuilder().parse(CONF.resolve(relative).toFile());
    }

    private static List<Element> elements(Element parent, String tag) {
        NodeList nodes = parent.getElementsByTagName(tag);
        List<Element> out = new ArrayList<>();
        for (int i = 0; i < nodes.getLength(); i++) {
            out.add((Element) nodes.item(i));
        }
        return out;
    }

    private static List<String> actions(Element parent, String tag) {
        return elements(parent, tag).stream()
                .map(a -> a.getAttribute("application") + " " + a.getAttribute("data")).toList();
    }

    @Test
    void includeAsksTheAgentBeforeTheBridgeAndThenTheVerdictContext() throws Exception {
        Element include = xml("dialplan/default/00_tollguard_pre_dial.xml").getDocumentElement();
        assertEquals("include", include.getTagName());
        Element ext = elements(include, "extension").get(0);
        assertEquals("true", ext.getAttribute("continue"), "the bridge that follows must still run");
        FreeSwitchConfig.PreDial defaults = FreeSwitchConfig.PreDial.defaults();
        assertEquals(List.of(
                "set tollguard_fail_mode=closed",
                "unset tollguard_result",
                "unset tollguard_reason",
                "set tollguard_number=${destination_number}",
                "socket " + defaults.listen() + ":" + defaults.port(),
                "execute_extension tollguard_verdict XML tollguard"), actions(ext, "action"));

        Element numberCondition = elements(ext, "condition").stream()
                .filter(c -> c.getAttribute("field").equals("destination_number")).findFirst().orElseThrow();
        Pattern numbers = Pattern.compile(numberCondition.getAttribute("expression"));
        for (String outside : List.of("0031900123456", "+31900123456", "0900", "1849", "00882161234567")) {
            assertTrue(numbers.matcher(outside).find(), outside);
        }
        for (String emergency : List.of("112", "911", "999", "000", "*98", "")) {
            assertFalse(numbers.matcher(emergency).find(), "never depends on tollguard: " + emergency);
        }
    }

    @Test
    void callsToLocalUsersNeverReachTheSocket() throws Exception {
        List<Element> include = elements(xml("dialplan/default/00_tollguard_pre_dial.xml").getDocumentElement(),
                "extension");
        Set<String> directory = Set.of("1001@198.51.100.101", "1801@198.51.100.101", "9196@198.51.100.101");
        Map<String, String> caller = Map.of("domain_name", "198.51.100.101");
        String socket = "socket " + FreeSwitchConfig.PreDial.defaults().listen() + ":"
                + FreeSwitchConfig.PreDial.defaults().port();
        for (String local : List.of("1801", "9196")) {
            List<String> run = run(include, caller, local, directory);
            assertFalse(run.contains(socket), local + " is a local user: " + run);
        }
        for (String outside : List.of("0201234567", "+31201234567", "1802")) {
            List<String> run = run(include, caller, outside, directory);
            assertTrue(run.contains(socket), outside + " is not a local user: " + run);
        }
        assertTrue(run(include, Map.of("domain_name", "other.example"), "1801", directory).contains(socket),
                "another domain's 1801 is not this caller's extension");
    }

    @Test
    void verdictContextAppliesTheFailMode() throws Exception {
        Element root = xml("dialplan/tollguard.xml").getDocumentElement();
        Element context = elements(root, "context").get(0);
        assertEquals("tollguard", context.getAttribute("name"));
        List<Element> extensions = elements(context, "extension");
        assertEquals(4, extensions.size());

        // result (as the agent sets it; "" = the agent was not reached) x fail mode -> hung up by the dialplan?
        Object[][] cases = {
            {"allow", "closed", false}, {"allow", "open", false},
            {"deny", "closed", false}, {"deny", "open", false}, // the agent has hung those up itself
            {"error", "closed", true}, {"", "closed", true},
            {"error", "open", false}, {"", "open", false},
            {"", "", true}, // no fail mode set at all: closed
        };
        for (Object[] c : cases) {
            List<String> run = run(extensions, Map.of("tollguard_result", (String) c[0],
                    "tollguard_fail_mode", (String) c[1], "tollguard_number", "0201234567",
                    "tollguard_emergency", "112|911|9112"));
            assertEquals(c[2], run.contains("hangup CALL_REJECTED"), c[0] + "|" + c[1] + " -> " + run);
            boolean warned = run.stream().anyMatch(a -> a.startsWith("log WARNING"));
            assertEquals(c[1].equals("open") && !c[0].equals("allow") && !c[0].equals("deny"), warned,
                    c[0] + "|" + c[1] + " -> " + run);
        }
    }

    @Test
    void emergencyNumbersGetThroughFailModeClosed() throws Exception {
        List<Element> extensions = elements(elements(xml("dialplan/tollguard.xml").getDocumentElement(), "context")
                .get(0), "extension");
        String agentsList = "112|911|10111|9112|9911|910111";
        // number dialled, the global the agent set ("" = not since FreeSWITCH started), result -> hung up?
        Object[][] cases = {
            {"9112", agentsList, "", false}, {"9112", agentsList, "error", false},
            {"910111", agentsList, "", false}, {"10111", agentsList, "", false},
            {"9112", "", "", false}, {"0112", "", "", false}, {"9999", "", "error", false},
            {"10111", "", "", true}, // not in the built-in list: only the agent's list knows it
            {"91120", agentsList, "", true}, {"19112", agentsList, "", true}, {"0900123456", agentsList, "", true},
            {"0201234567", "", "", true}, {"911", "", "", false},
        };
        for (Object[] c : cases) {
            List<String> run = run(extensions, Map.of("tollguard_result", (String) c[2],
                    "tollguard_fail_mode", "closed", "tollguard_number", (String) c[0],
                    "tollguard_emergency", (String) c[1]));
            String label = c[0] + " with tollguard_emergency='" + c[1] + "', result '" + c[2] + "' -> " + run;
            assertEquals(c[3], run.contains("hangup CALL_REJECTED"), label);
            assertEquals(!(Boolean) c[3], run.stream().anyMatch(a -> a.startsWith("log WARNING")
                    && a.contains("emergency number ${tollguard_number} allowed")), label);
        }
        List<String> allowed = run(extensions, Map.of("tollguard_result", "allow", "tollguard_fail_mode", "closed",
                "tollguard_number", "9112", "tollguard_emergency", agentsList));
        assertEquals(List.of(), allowed, "a verdict is followed, no fail-mode path");
    }

    /** The verdict context: destination "tollguard_verdict", no directory. */
    private static List<String> run(List<Element> extensions, Map<String, String> variables) {
        return run(extensions, variables, "tollguard_verdict", Set.of());
    }

    /**
     * mod_dialplan_xml for {@code destination}: conditions in order, variables expanded in field and expression
     * (unset: empty; {@code destination_number} is the destination), anti-actions of the failing one.
     * {@code ${user_exists(id USER DOMAIN)}} is answered from {@code directory} ("user@domain" entries): the
     * directory lookup is the one part of FreeSWITCH this test cannot run.
     */
    private static List<String> run(List<Element> extensions, Map<String, String> variables, String destination,
                                    Set<String> directory) {
        Map<String, String> all = new HashMap<>(variables);
        all.put("destination_number", destination);
        List<String> executed = new ArrayList<>();
        for (Element ext : extensions) {
            boolean matched = true;
            for (Element cond : elements(ext, "condition")) {
                String field = cond.getAttribute("field");
                String value = field.equals("destination_number") ? destination : expand(field, all, directory);
                if (Pattern.compile(expand(cond.getAttribute("expression"), all, directory)).matcher(value).find()) {
                    executed.addAll(actions(cond, "action"));
                } else {
                    executed.addAll(actions(cond, "anti-action"));
                    matched = false;
                    break;
                }
            }
            if (matched && !"true".equals(ext.getAttribute("continue"))) {
                break;
            }
        }
        return executed;
    }

    /** Innermost {@code ${...}} first, as FreeSWITCH expands nested ones: a variable, or the user_exists API. */
    private static String expand(String text, Map<String, String> variables, Set<String> directory) {
        Pattern innermost = Pattern.compile("\\$\\{([^${}]*)\\}");
        Pattern userExists = Pattern.compile("user_exists\\(id (\\S*) (\\S*)\\)");
        String s = text;
        while (innermost.matcher(s).find()) {
            s = innermost.matcher(s).replaceAll(m -> {
                Matcher api = userExists.matcher(m.group(1));
                String value;
                if (api.matches()) {
                    value = String.valueOf(directory.contains(api.group(1) + "@" + api.group(2)));
                } else if (m.group(1).matches("[a-z_]+")) {
                    value = variables.getOrDefault(m.group(1), "");
                } else {
                    throw new AssertionError("the test cannot expand ${" + m.group(1) + "}");
                }
                return Matcher.quoteReplacement(value);
            });
        }
        return s;
    }

    @Test
    void eventSocketSnippetIsLoopbackOnlyWithAnAclAndNoDefaultPassword() throws Exception {
        Element settings = elements(xml("autoload_configs/event_socket.conf.xml").getDocumentElement(), "settings").get(0);
        java.util.Map<String, String> params = new java.util.HashMap<>();
        for (Element p : elements(settings, "param")) {
            params.put(p.getAttribute("name"), p.getAttribute("value"));
        }
        assertEquals("127.0.0.1", params.get("listen-ip"));
        assertEquals(String.valueOf(FreeSwitchConfig.defaults().port()), params.get("listen-port"));
        assertEquals("loopback.auto", params.get("apply-inbound-acl"));
        assertEquals("@TOLLGUARD_ESL_PASSWORD@", params.get("password"));
    }

    @Test
    void sofiaSettingTurnsOnTheChallengeLines() throws Exception {
        Element include = xml("sip_profiles/tollguard/tollguard-settings.xml").getDocumentElement();
        Element param = elements(include, "param").get(0);
        assertEquals("log-auth-failures", param.getAttribute("name"));
        assertEquals("true", param.getAttribute("value"));
        assertTrue(Files.readString(CONF.resolve("dialplan/default/00_tollguard_pre_dial.xml"))
                .contains("Why the outbound Event Socket and not an HTTP request through mod_curl"));
    }
}
