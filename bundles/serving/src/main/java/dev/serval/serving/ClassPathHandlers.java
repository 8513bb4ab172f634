package dev.serval.serving;

import dev.serval.sdk.Handler;
import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Modifier;
import java.net.URL;
import java.util.Collections;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.jar.Manifest;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilder;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;
import org.xml.sax.SAXException;
import org.xml.sax.helpers.DefaultHandler;

/**
 * The handlers on an application's class path, by the names model manifests call them: the
 * Declarative Services descriptors that bnd writes into every handler jar from its
 * {@code @Component(property = Handler.NAME + "=...")}, and lists in the jar manifest's
 * {@code Service-Component} header, name the class and its {@link Handler#NAME} property. So a
 * handler bundle, built-in or not, is used outside OSGi as it is, and each worker's instance is
 * made with the class's public no-argument constructor, as Declarative Services makes one.
 * References the component declares are not injected.
 */
final class ClassPathHandlers {

    private static final Logger LOG = LoggerFactory.getLogger(ClassPathHandlers.class);
    private static final String MANIFEST = "META-INF/MANIFEST.MF";
    private static final String HEADER = "Service-Component";

    private ClassPathHandlers() {}

    /**
     * @param name a handler name, as a model manifest gives it
     * @param loader the class loader to look in and load the handler class with
     * @return a source making one instance of the class registered under that name per worker
     * @throws ModelLoadException when no class or more than one is registered under the name, or
     *     it cannot be instantiated, saying which handlers there are
     */
    static HandlerSource find(String name, ClassLoader loader) throws ModelLoadException {
        Map<String, Set<String>> handlers = scan(loader);
        Set<String> classes = handlers.getOrDefault(name, Set.of());
        if (classes.isEmpty()) {
            throw new ModelLoadException("No handler named '" + name + "' on the class path (found: "
                    + (handlers.isEmpty() ? "none" : String.join(", ", handlers.keySet()))
                    + "): add the jar that provides it, or pass a factory such as MyHandler::new");
        }
        if (classes.size() > 1) {
            throw new ModelLoadException("More than one class on the class path is handler '" + name + "': "
                    + String.join(", ", classes) + "; pass a factory for the one to use");
        }
        return source(classes.iterator().next(), loader);
    }

    /**
     * @param loader the class loader to look in
     * @return the class names registered under each handler name, in every jar or folder whose
     *     manifest lists Declarative Services descriptors
     */
    static Map<String, Set<String>> scan(ClassLoader loader) {
        Map<String, Set<String>> handlers = new TreeMap<>();
        DocumentBuilderFactory xml = descriptorParser();
        try {
            for (URL manifest : Collections.list(loader.getResources(MANIFEST))) {
                String base =
                        manifest.toString().substring(0, manifest.toString().length() - MANIFEST.length());
                for (String descriptor : descriptors(manifest)) {
                    read(new URL(base + descriptor), xml, handlers);
                }
            }
        } catch (IOException e) {
            LOG.warn("Cannot list the class path's manifests: {}", e.getMessage());
        }
        return handlers;
    }

    /** @return the descriptors a manifest lists; DS's wildcards name no file and are skipped */
    private static Set<String> descriptors(URL url) {
        Set<String> paths = new TreeSet<>();
        try (InputStream in = url.openStream()) {
            String header = new Manifest(in).getMainAttributes().getValue(HEADER);
            if (header != null) {
                for (String path : header.split(",")) {
                    if (!path.isBlank() && !path.contains("*")) {
                        paths.add(path.trim());
                    }
                }
            }
        } catch (IOException e) {
            LOG.warn("Cannot read {}: {}", url, e.getMessage());
        }
        return paths;
    }

    private static void read(URL url, DocumentBuilderFactory xml, Map<String, Set<String>> handlers) {
        try (InputStream in = url.openStream()) {
            DocumentBuilder parser = xml.newDocumentBuilder();
            // Fatal errors are thrown and logged below; the parser's own handler would print them too.
            parser.setErrorHandler(new DefaultHandler());
            NodeList components = parser.parse(in).getElementsByTagNameNS("*", "component");
            for (int i = 0; i < components.getLength(); i++) {
                Element component = (Element) components.item(i);
                String name = handlerName(component);
                NodeList implementation = component.getElementsByTagNameNS("*", "implementation");
                if (name != null && implementation.getLength() > 0) {
                    handlers.computeIfAbsent(name, n -> new TreeSet<>())
                            .add(((Element) implementation.item(0)).getAttribute("class"));
                }
            }
        } catch (IOException | SAXException | ParserConfigurationException e) {
            LOG.warn("Skipping the component descriptor {}: {}", url, e.getMessage());
        }
    }

    /** @return the component's handler name, when it provides {@link Handler}; else null */
    private static String handlerName(Element component) {
        boolean handler = false;
        NodeList provides = component.getElementsByTagNameNS("*", "provide");
        for (int i = 0; i < provides.getLength(); i++) {
            handler |= Handler.class.getName().equals(((Element) provides.item(i)).getAttribute("interface"));
        }
        NodeList properties = component.getElementsByTagNameNS("*", "property");
        for (int i = 0; handler && i < properties.getLength(); i++) {
            Element property = (Element) properties.item(i);
            if (Handler.NAME.equals(property.getAttribute("name"))) {
                String value = property.getAttribute("value");
                return value.isEmpty() ? property.getTextContent().trim() : value;
            }
        }
        return null;
    }

    private static DocumentBuilderFactory descriptorParser() {
        DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
        factory.setNamespaceAware(true);
        try {
            // A descriptor is plain XML: no DTD, no entities reaching out to files or the network.
            factory.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
            factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
        } catch (ParserConfigurationException e) {
            throw new IllegalStateException("The JDK's XML parser lacks secure processing", e);
        }
        return factory;
    }

    private static HandlerSource source(String className, ClassLoader loader) throws ModelLoadException {
        Constructor<? extends Handler> constructor;
        try {
            Class<? extends Handler> type =
                    Class.forName(className, false, loader).asSubclass(Handler.class);
            constructor = type.getConstructor();
            if (!Modifier.isPublic(type.getModifiers()) || Modifier.isAbstract(type.getModifiers())) {
                throw new NoSuchMethodException("not a public concrete class");
            }
        } catch (ReflectiveOperationException | ClassCastException | LinkageError e) {
            throw new ModelLoadException(
                    "Handler class " + className + " cannot be made outside OSGi (it needs a"
                            + " public no-argument constructor): " + e,
                    e);
        }
        return HandlerSource.of(() -> {
            try {
                return constructor.newInstance();
            } catch (InvocationTargetException e) {
                throw new IllegalStateException(className + "'s constructor failed: " + e.getCause(), e.getCause());
            } catch (ReflectiveOperationException e) {
                throw new IllegalStateException(e);
            }
        });
    }
}
