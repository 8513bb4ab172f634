package dev.serval.kernel.template;

import picocli.CommandLine.Command;

/** {@code serval new}: a new project from a template; without a subcommand, its usage. */
@Command(
        name = "new",
        mixinStandardHelpOptions = true,
        description = "Writes a new project from a template.",
        subcommands = NewHandlerCommand.class)
public final class NewCommand {}
