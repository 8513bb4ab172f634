/** An example streaming handler: {@code text_stream}, private to its bundle (nothing exported). */
package dev.serval.examples.stream;
