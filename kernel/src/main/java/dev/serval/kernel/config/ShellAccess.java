package dev.serval.kernel.config;

/**
 * What {@code bin/serval shell}'s WebSocket on the management listener lets a session do. Gogo's
 * scripting reaches any Java class of the framework, so the full shell is code execution on the
 * host; remote sessions get a fixed list of commands unless the full shell is asked for by name.
 */
public enum ShellAccess {
    /** No remote shell: the upgrade is refused. The default when token authorization is off. */
    OFF,
    /** One command of a fixed list per line, with plain words as arguments. */
    RESTRICTED,
    /** The whole Gogo shell: whoever holds the management key runs code as the server's user. */
    FULL
}
