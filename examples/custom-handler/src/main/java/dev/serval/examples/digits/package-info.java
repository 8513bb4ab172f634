/** An example handler bundle: {@code digits_preview}, private to its bundle (nothing exported). */
package dev.serval.examples.digits;
