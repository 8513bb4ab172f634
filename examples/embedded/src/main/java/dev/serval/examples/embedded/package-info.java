/** An application serving a model in-process with Serval's embedded mode. */
package dev.serval.examples.embedded;
