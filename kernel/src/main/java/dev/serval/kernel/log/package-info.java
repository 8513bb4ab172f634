/** The server's last log lines, captured from its standard output and error, for the web console. */
package dev.serval.kernel.log;
