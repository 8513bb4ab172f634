package dev.serval.distribution;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The handler guide's code is the examples' code: every block after an
 * {@code <!-- include: path[#region] -->} line must equal that file (or the lines between its
 * {@code guide:begin region} and {@code guide:end region} markers), and every Java block must be
 * such an include. The examples are compiled and tested by the build, so the guide's code is too.
 * The porting guide's and the README's included blocks are held to the same.
 */
class GuideIT {

    private static final Path ROOT = Path.of("").toAbsolutePath().getParent();
    private static final Pattern BLOCK =
            Pattern.compile("(?:<!-- include: ([^#\\s]+)(?:#(\\S+))? -->\\n)?```(\\w*)\\n(.*?)\\n```", Pattern.DOTALL);

    @Test
    void everyCodeBlockOfTheGuideIsTheExamplesOwn() throws IOException {
        List<String> included = checkIncludes("docs/handlers.md", true);
        assertTrue(included.size() >= 5, "includes found: " + included);
    }

    @Test
    void thePortingGuidesJavaIsTheExamplesOwn() throws IOException {
        List<String> included = checkIncludes("docs/porting-from-torchserve.md", true);
        assertTrue(!included.isEmpty(), "includes found: " + included);
    }

    @Test
    void theReadmesIncludedBlocksAreTheExamplesOwn() throws IOException {
        List<String> included = checkIncludes("README.md", false);
        assertTrue(!included.isEmpty(), "includes found: " + included);
    }

    /**
     * @param markdown a Markdown file of the repository
     * @param javaIncluded whether every Java block must be an include
     * @return the files its blocks include, each checked
     */
    private static List<String> checkIncludes(String markdown, boolean javaIncluded) throws IOException {
        Matcher block = BLOCK.matcher(Files.readString(ROOT.resolve(markdown)));
        List<String> included = new ArrayList<>();
        while (block.find()) {
            String file = block.group(1);
            if (file == null) {
                assertTrue(
                        !javaIncluded || !block.group(3).equals("java"),
                        "a Java block not taken from the examples:\n" + block.group(4));
                continue;
            }
            assertEquals(
                    source(ROOT.resolve(file), block.group(2)),
                    block.group(4),
                    markdown + "'s copy of " + file + " differs; copy it again");
            included.add(file);
        }
        return included;
    }

    private static String source(Path file, String region) throws IOException {
        String text = Files.readString(file).stripTrailing();
        if (region == null) {
            return text;
        }
        List<String> lines = text.lines().toList();
        int begin = indexOf(lines, "guide:begin " + region, file);
        int end = indexOf(lines, "guide:end " + region, file);
        return String.join("\n", lines.subList(begin + 1, end));
    }

    private static int indexOf(List<String> lines, String marker, Path file) {
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).contains(marker)) {
                return i;
            }
        }
        throw new AssertionError(file + " has no line with '" + marker + "'");
    }
}
