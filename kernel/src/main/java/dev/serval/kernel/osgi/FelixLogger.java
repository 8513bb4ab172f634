package dev.serval.kernel.osgi;

import org.osgi.framework.ServiceReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Sends Felix's own log lines (resolution failures, bundle errors) to SLF4J with the rest. */
final class FelixLogger extends org.apache.felix.framework.Logger {

    private static final Logger LOG = LoggerFactory.getLogger("org.apache.felix.framework");

    FelixLogger() {
        setLogLevel(LOG_WARNING);
    }

    @Override
    @SuppressWarnings("rawtypes") // Felix's Logger declares the raw type
    protected void doLog(
            org.osgi.framework.Bundle bundle, ServiceReference sr, int level, String msg, Throwable throwable) {
        String text = bundle == null ? msg : bundle.getSymbolicName() + ": " + msg;
        switch (level) {
            case LOG_ERROR -> LOG.error(text, throwable);
            case LOG_WARNING -> LOG.warn(text, throwable);
            case LOG_INFO -> LOG.info(text, throwable);
            default -> LOG.debug(text, throwable);
        }
    }
}
