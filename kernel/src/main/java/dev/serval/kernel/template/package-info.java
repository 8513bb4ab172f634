/**
 * {@code serval new}: projects written from templates on the class path, such as a handler
 * bundle's Maven project.
 */
package dev.serval.kernel.template;
