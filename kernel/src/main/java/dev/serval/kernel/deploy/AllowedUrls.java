package dev.serval.kernel.deploy;

import dev.serval.serving.ServingException;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * TorchServe's {@code allowed_urls}: the regular expressions a register call's URL must match,
 * whole. They are matched against the canonical {@code file://} URL of the file that would be
 * opened, after percent-decoding, {@code ..} and symbolic links are resolved, so neither an
 * encoded nor a linked path escapes them. Serval downloads nothing: an http(s) URL is refused
 * even when allowed, so no redirect can lead anywhere.
 */
final class AllowedUrls {

    private final List<Pattern> patterns;

    AllowedUrls(List<Pattern> patterns) {
        this.patterns = List.copyOf(patterns);
    }

    /**
     * @param url a register call's URL, with a scheme
     * @return the file it names, when {@code allowed_urls} allows it and it exists
     * @throws ServingException 400 when the URL is not allowed, 404 when the file does not exist
     */
    Path resolve(String url) {
        URI uri;
        try {
            uri = new URI(url);
        } catch (URISyntaxException e) {
            throw refused(url, "it is not a valid URL");
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (scheme.equals("http") || scheme.equals("https")) {
            throw refused(
                    url,
                    allows(url)
                            ? "Serval does not download models; copy the archive into the model store"
                            : "it does not match allowed_urls, and Serval does not download models");
        }
        if (!scheme.equals("file")
                || uri.getRawAuthority() != null
                || uri.getRawQuery() != null
                || uri.getRawFragment() != null
                || uri.getPath() == null) {
            throw refused(url, "only file:///path URLs matching allowed_urls, or model store names, are taken");
        }
        Path real;
        try {
            real = Path.of(uri.getPath()).toRealPath();
        } catch (IOException e) {
            throw new ServingException(404, "ModelNotFoundException", "Model archive " + url + " does not exist");
        }
        String canonical = "file://" + real;
        if (!allows(canonical)) {
            throw refused(
                    url,
                    (canonical.equals(url) ? "it" : "its file " + canonical) + " does not match allowed_urls "
                            + patterns);
        }
        return real;
    }

    private boolean allows(String url) {
        return patterns.stream().anyMatch(pattern -> pattern.matcher(url).matches());
    }

    private static ServingException refused(String url, String why) {
        return new ServingException(400, "BadRequestException", "Model url " + url + " is not allowed: " + why);
    }
}
