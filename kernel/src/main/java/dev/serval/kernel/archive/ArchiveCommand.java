package dev.serval.kernel.archive;

import java.nio.file.Path;
import java.time.LocalDateTime;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code serval archive}: torch-model-archiver's command line. Its {@code -v, --version} is the
 * model's, as torch-model-archiver has it, so picocli's standard {@code --version} cannot be mixed
 * in, and with it went {@code --help}: declared here instead.
 */
@Command(
        name = "archive",
        description = "Packs a model as torch-model-archiver does: a TorchServe .mar, a model bundle or a folder.")
public final class ArchiveCommand implements Callable<Integer> {

    @Option(
            names = {"-h", "--help"},
            usageHelp = true,
            description = "Show this help message and exit.")
    private boolean help;

    @Option(names = "--model-name", required = true, description = "The model's name; names the archive too")
    private String modelName;

    @Option(
            names = {"-v", "--version"},
            required = true,
            description = "The model's version")
    private String version;

    @Option(names = "--serialized-file", required = true, description = "The TorchScript (.pt) or ONNX (.onnx) file")
    private Path serializedFile;

    @Option(names = "--handler", required = true, description = "The handler's name, built in or from a handler bundle")
    private String handler;

    @Option(names = "--extra-files", split = ",", description = "More files, or folders whose contents to add")
    private List<Path> extraFiles = List.of();

    @Option(
            names = {"-c", "--config-file"},
            description = "The model-config.yaml")
    private Path configFile;

    @Option(names = "--export-path", description = "Where to write the archive (default: the current folder)")
    private Path exportPath = Path.of(".");

    @Option(
            names = {"-f", "--force"},
            description = "Overwrite an archive of the same name")
    private boolean force;

    @Option(names = "--format", description = "mar (default), bundle or folder")
    private ArchiveFormat format = ArchiveFormat.MAR;

    @Override
    public Integer call() throws Exception {
        ModelArchiver.Model model = new ModelArchiver.Model(
                modelName, version, serializedFile, handler, extraFiles, Optional.ofNullable(configFile));
        Path archive = ModelArchiver.archive(model, format, exportPath, force, LocalDateTime.now());
        System.out.println(archive.toAbsolutePath().normalize());
        return 0;
    }
}
