package dev.serval.kernel.http;

import dev.serval.kernel.api.CommandShell;
import dev.serval.kernel.manage.ManagementCalls;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * A remote shell session that runs only a fixed list of commands, each line one command of the
 * list with {@link ShellLine plain words} as arguments: the {@code serval:*} commands (register and
 * unregister only when the model API is on, as over HTTP), and Felix's {@code lb}, {@code headers}
 * and {@code help}, which only read. What is refused is answered as a failed command, saying why.
 */
final class RestrictedSession implements CommandShell.Session {

    /**
     * The commands as they may be typed, and the scoped names they run as: a bare name is whichever
     * bundle's command of that name Gogo finds first.
     */
    private static final Map<String, String> COMMANDS = Map.ofEntries(
            Map.entry("serval:list", "serval:list"),
            Map.entry("serval:describe", "serval:describe"),
            Map.entry("serval:register", "serval:register"),
            Map.entry("serval:unregister", "serval:unregister"),
            Map.entry("serval:scale", "serval:scale"),
            Map.entry("serval:default", "serval:default"),
            Map.entry("lb", "felix:lb"),
            Map.entry("felix:lb", "felix:lb"),
            Map.entry("headers", "felix:headers"),
            Map.entry("felix:headers", "felix:headers"),
            Map.entry("help", "felix:help"),
            Map.entry("felix:help", "felix:help"));

    /** The commands the management API's {@code enable_model_api} governs. */
    private static final Set<String> MODEL_API = Set.of("serval:register", "serval:unregister");

    private final CommandShell.Session session;
    private final boolean modelApiEnabled;

    /**
     * @param session the Gogo session the admitted lines run in
     * @param modelApiEnabled whether register and unregister are allowed
     */
    RestrictedSession(CommandShell.Session session, boolean modelApiEnabled) {
        this.session = session;
        this.modelApiEnabled = modelApiEnabled;
    }

    @Override
    public CommandShell.Outcome execute(String line) {
        List<String> words;
        try {
            words = ShellLine.words(line);
        } catch (IllegalArgumentException e) {
            return refused(e.getMessage());
        }
        String command = COMMANDS.get(words.get(0));
        if (command == null) {
            return refused("The remote shell runs only " + String.join(", ", new TreeSet<>(COMMANDS.keySet()))
                    + ", not " + words.get(0) + " (enable_remote_shell_code_execution=true gives the whole Gogo"
                    + " shell, which is code execution on the server's host)");
        }
        if (MODEL_API.contains(command) && !modelApiEnabled) {
            return refused(ManagementCalls.MODEL_API_DISABLED);
        }
        List<String> arguments = words.subList(1, words.size());
        return session.execute(arguments.isEmpty() ? command : command + " " + String.join(" ", arguments));
    }

    @Override
    public void close() {
        session.close();
    }

    private static CommandShell.Outcome refused(String reason) {
        return new CommandShell.Outcome(reason + "\n", true);
    }
}
