package dev.serval.kernel;

import dev.serval.kernel.config.ServerConfig;
import dev.serval.serving.Engines;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * {@code serval natives}: unpacks the engines' native libraries into the installation, once, so
 * that its servers unpack nothing at start: a container image runs it at build time, and its pods
 * then start faster and can run with a read-only root filesystem.
 */
@Command(
        name = "natives",
        mixinStandardHelpOptions = true,
        description = {
            "Unpacks the native libraries of PyTorch, ONNX Runtime and the Hugging Face tokenizers "
                    + "(about 460 MB) into the installation's natives/ folder, and exits.",
            "Servers of this installation then use natives/ as their cache: they unpack and write nothing there."
        })
final class NativesCommand implements Callable<Integer> {

    @Spec
    private CommandSpec spec;

    @Override
    public Integer call() throws IOException {
        Path target = ConfigLocation.home().resolve(ServerConfig.INSTALLED_NATIVES);
        PrintWriter out = spec.commandLine().getOut();
        if (Files.exists(target)) {
            out.println("Native libraries already in " + target);
            return 0;
        }
        // Unpacked beside it and moved in whole: servers take natives/ as complete once it exists,
        // so an interrupted run must not leave half of it there.
        Path partial = Files.createTempDirectory(
                Files.createDirectories(target.getParent()), target.getFileName() + ".partial");
        Engines.initialize(partial);
        Files.move(partial, target, StandardCopyOption.ATOMIC_MOVE);
        out.printf("Native libraries unpacked into %s (%d MB)%n", target, size(target) >> 20);
        return 0;
    }

    private static long size(Path dir) throws IOException {
        try (Stream<Path> files = Files.walk(dir)) {
            return files.filter(Files::isRegularFile)
                    .mapToLong(file -> file.toFile().length())
                    .sum();
        }
    }
}
