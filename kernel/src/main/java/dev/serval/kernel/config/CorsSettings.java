package dev.serval.kernel.config;

import java.util.Optional;

/**
 * TorchServe's CORS keys, on when {@code cors_allowed_origin} is set.
 *
 * @param origin {@code cors_allowed_origin}: {@code *} or one origin, e.g. {@code https://app.example}
 * @param methods {@code cors_allowed_methods}: answered to preflights, e.g. {@code GET, POST}; the
 *     requested method when not set
 * @param headers {@code cors_allowed_headers}: answered to preflights; the requested headers when
 *     not set
 */
public record CorsSettings(String origin, Optional<String> methods, Optional<String> headers) {}
