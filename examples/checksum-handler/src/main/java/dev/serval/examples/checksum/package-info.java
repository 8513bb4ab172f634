/** An example handler bundle: {@code checksum}, private to its bundle (nothing exported). */
package dev.serval.examples.checksum;
