package dev.serval.kernel.template;

import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code serval new handler NAME}: a handler bundle's Maven project, ready for {@code mvn package},
 * with a handler class, its unit test and a model folder to test and serve it on.
 */
@Command(
        name = "handler",
        mixinStandardHelpOptions = true,
        description = {
            "Writes a Maven project of a handler bundle: a handler class, its test on a small model in",
            "model/ (a model folder for serval archive and serval dev --model), pom.xml and bnd.bnd."
        })
final class NewHandlerCommand implements Callable<Integer> {

    @Parameters(
            paramLabel = "NAME",
            description = "The handler's name, as archives name it (--handler): letters, digits, _ and -")
    private String name;

    @Option(names = "--dir", description = "The project's folder, new or empty (default: NAME)")
    private Path dir;

    @Option(
            names = "--package",
            description = "The handler's Java package (default: com.example.NAME, without _ and -)")
    private String packageName;

    @Spec
    private CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        HandlerTemplate template = HandlerTemplate.of(name, Optional.ofNullable(packageName));
        Path folder = dir != null ? dir : Path.of(name);
        template.write(folder);
        spec.commandLine()
                .getOut()
                .printf(
                        "Handler %s (class %s) written to %s: build it with mvn package there%n",
                        name, template.className(), folder.toAbsolutePath().normalize());
        return 0;
    }
}
