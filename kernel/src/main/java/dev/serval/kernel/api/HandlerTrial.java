package dev.serval.kernel.api;

import org.osgi.annotation.versioning.ProviderType;
import org.osgi.framework.Bundle;

/**
 * Tries a new build of a handler bundle beside the build serving, so that the models it serves
 * change builds without a failed request, or not at all. The kernel registers it as an OSGi
 * service; the deployer bundle calls it when a jar of the deploy folder brings a new build of a
 * bundle whose handlers models use.
 */
@ProviderType
public interface HandlerTrial {

    /**
     * @param bundle an installed bundle
     * @return whether a served model's workers use a handler the bundle provides: then a new
     *     build of it is tried with {@link #adopt}, rather than updated in place
     */
    boolean serves(Bundle bundle);

    /**
     * Starts {@code candidate} and, for every served model whose handler {@code current}
     * provides, loads the model again bound to the candidate's handler; once all of them are
     * READY and have answered their warm-up inputs, they take the place of the old ones in one
     * step each. If the candidate does not start, lacks one of those handlers or one of the new
     * versions fails, none of them serves, the old ones serve on and each shows the reason in
     * describe, the metrics and the shell. Either way the caller then uninstalls the loser.
     *
     * @param candidate the new build, installed but not started, under a location of its own
     * @param current the build serving, which {@link #serves} the models
     * @return whether the candidate now serves them; when not, the reason has been logged
     */
    boolean adopt(Bundle candidate, Bundle current);
}
