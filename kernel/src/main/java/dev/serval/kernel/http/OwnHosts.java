package dev.serval.kernel.http;

import dev.serval.kernel.config.Address;
import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The host names a listener is known by: its own address, {@code localhost}, {@code 127.0.0.1},
 * {@code [::1]} and {@code allowed_hosts}. A listener on loopback answers only requests whose
 * {@code Host} is one of them, against DNS rebinding: a page of {@code evil.example}, whose name its
 * owner then points at 127.0.0.1, would otherwise reach the loopback listeners from the browser of
 * anyone who opens it. {@code allowed_hosts=*} lifts that check; the names still tell which
 * {@code Origin} is the listener's own.
 */
final class OwnHosts {

    private static final String ANY = "*";
    /** A {@code Host} header: a name, an IPv4 address or an IPv6 one in brackets, and an optional port. */
    private static final Pattern HOST = Pattern.compile("(\\[[0-9A-Fa-f:.]+]|[^:\\[\\]]+)(?::[0-9]{1,5})?");

    private final Set<String> names;
    private final boolean checked;
    /**
     * The {@code Host} answered last: a client sends the same one request after request, which is
     * then an {@code equals} rather than a regular expression's match (0.3 KB a request).
     */
    private volatile String lastAnswered;

    private OwnHosts(Set<String> names, boolean checked) {
        this.names = Set.copyOf(names);
        this.checked = checked;
    }

    /**
     * @param address where the listener listens
     * @param allowed {@code allowed_hosts}: more names, or {@code *}
     * @return the listener's names
     */
    static OwnHosts of(Address address, List<String> allowed) {
        Set<String> names = new HashSet<>(List.of("localhost", "127.0.0.1", "[::1]", lowerCase(address.host())));
        allowed.stream()
                .filter(name -> !name.equals(ANY))
                .map(OwnHosts::lowerCase)
                .forEach(names::add);
        return new OwnHosts(names, isLoopback(address.host()) && !allowed.contains(ANY));
    }

    /**
     * @param name a host name or IP address, without port; an IPv6 address in brackets
     * @return whether it is one of the listener's names
     */
    boolean isOwn(String name) {
        return names.contains(lowerCase(name));
    }

    /**
     * @param origin an {@code Origin} header
     * @param https whether the listener speaks TLS
     * @param port the listener's port
     * @return whether it is the listener's own origin: its scheme, port and one of its names
     */
    boolean isOwnOrigin(String origin, boolean https, int port) {
        String scheme = https ? "https" : "http";
        try {
            URI uri = new URI(origin);
            int originPort = uri.getPort() >= 0 ? uri.getPort() : https ? 443 : 80;
            return scheme.equals(uri.getScheme())
                    && uri.getHost() != null
                    && isOwn(uri.getHost())
                    && originPort == port;
        } catch (URISyntaxException e) {
            return false;
        }
    }

    /**
     * @param host a {@code Host} header: a name or address with an optional port
     * @return whether the listener answers a request with it
     */
    boolean answers(String host) {
        if (!checked || host.equals(lastAnswered)) {
            return true;
        }
        // A header that is not a name with an optional port is compared whole, and so refused.
        boolean own = isOwn(withoutPort(host));
        if (own) {
            lastAnswered = host;
        }
        return own;
    }

    private static String withoutPort(String host) {
        Matcher matcher = HOST.matcher(host);
        return matcher.matches() ? matcher.group(1) : host;
    }

    /**
     * @param host a host name or IP address
     * @return whether it is a loopback address; false for a name that does not resolve
     */
    static boolean isLoopback(String host) {
        try {
            return InetAddress.getByName(host).isLoopbackAddress();
        } catch (UnknownHostException e) {
            return false; // a listener cannot bind it either, nor a client connect from it
        }
    }

    private static String lowerCase(String name) {
        return name.toLowerCase(Locale.ROOT);
    }
}
