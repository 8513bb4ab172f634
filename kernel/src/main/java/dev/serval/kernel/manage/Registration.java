package dev.serval.kernel.manage;

import dev.serval.serving.LoadOptions;

/**
 * How a model version came to be registered, kept to describe it and to restore it from a
 * snapshot.
 *
 * @param url the model store entry it was loaded from
 * @param options what the register call overrode
 * @param atStartup whether it was loaded from {@code load_models} when the server started
 */
record Registration(String url, LoadOptions options, boolean atStartup) {
}
