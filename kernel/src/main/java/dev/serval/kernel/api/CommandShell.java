package dev.serval.kernel.api;

import org.osgi.annotation.versioning.ProviderType;

/**
 * The framework's command shell, for callers that are not on the server's console: the kernel
 * offers it to {@code bin/serval shell} over the management listener. A bundle that wraps the
 * shell implementation (Felix Gogo) registers it as an OSGi service.
 */
@ProviderType
public interface CommandShell {

    /**
     * @return a new session, with its own variables, until it is closed
     */
    Session open();

    /** One user's conversation with the shell: command lines run one after another. */
    @ProviderType
    interface Session extends AutoCloseable {

        /**
         * Runs one command line.
         *
         * @param line the command line, as typed at the console
         * @return what the command printed and its result, as the console would show them
         */
        Outcome execute(String line);

        /** Ends the session and frees what it holds. */
        @Override
        void close();
    }

    /**
     * @param output what the command printed, then its formatted result
     * @param failed whether the command failed; the output then ends with the reason
     */
    record Outcome(String output, boolean failed) {}
}
