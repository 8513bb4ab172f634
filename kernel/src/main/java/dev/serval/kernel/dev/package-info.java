/** {@code serval dev}: the edit, build and serve loop of handler and model authors. */
package dev.serval.kernel.dev;
