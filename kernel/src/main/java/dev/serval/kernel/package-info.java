/**
 * {@code bin/serval}: its commands ({@code serval}, {@code start}, {@code stop}, {@code status},
 * {@code dev}, {@code shell}, {@code archive}, {@code new}, {@code natives}), where a server's
 * settings and data are, and {@link dev.serval.kernel.Serval}, the running server that the other
 * packages make up.
 */
package dev.serval.kernel;
