package dev.serval.handlers.text;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.serval.sdk.HandlerException;
import dev.serval.sdk.Request;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * The text of a request, in the forms TorchServe's text handlers accept: the body as UTF-8 text
 * (any media type but JSON), or JSON {@code {"text": "..."}} or {@code {"data": "..."}}.
 */
final class TextInput {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final List<String> JSON_FIELDS = List.of("text", "data");
    private static final char REPLACEMENT = '\uFFFD';

    private TextInput() {}

    /**
     * @param request an inference request
     * @param maxCharacters the most characters returned: a longer text is cut, never between the
     *     two halves of a surrogate pair
     * @return its text, not blank
     * @throws HandlerException (400) for a body that is not UTF-8, malformed JSON, or no text
     */
    static String of(Request request, int maxCharacters) throws HandlerException {
        String body = decode(request.body());
        String text = isJson(request) ? field(body) : body;
        if (text.isBlank()) {
            throw HandlerException.badRequest("The text to classify is empty");
        }
        if (text.length() <= maxCharacters) {
            return text;
        }
        int end = Character.isHighSurrogate(text.charAt(maxCharacters - 1)) ? maxCharacters - 1 : maxCharacters;
        return text.substring(0, end);
    }

    /**
     * Strict: replacing bad bytes, as {@link Request#bodyAsString()} does, would classify noise. The
     * String constructor decodes in one copy, where a decoder took a decoder, a char buffer and a
     * second copy every request; it turns each bad sequence into U+FFFD, so only a text holding one
     * (bad bytes, or the character itself sent) is decoded again by a decoder that says which.
     */
    private static String decode(byte[] body) throws HandlerException {
        String text = new String(body, StandardCharsets.UTF_8);
        return text.indexOf(REPLACEMENT) < 0 ? text : strictly(body);
    }

    private static String strictly(byte[] body) throws HandlerException {
        try {
            return StandardCharsets.UTF_8
                    .newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(body))
                    .toString();
        } catch (CharacterCodingException e) {
            throw HandlerException.badRequest("The body is not UTF-8 text", e);
        }
    }

    private static boolean isJson(Request request) {
        return request.contentType()
                .filter(type -> type.equals("application/json") || type.endsWith("+json"))
                .isPresent();
    }

    private static String field(String body) throws HandlerException {
        JsonNode root;
        try {
            root = JSON.readTree(body);
        } catch (JsonProcessingException e) {
            throw HandlerException.badRequest("The body is not valid JSON: " + e.getOriginalMessage(), e);
        }
        for (String name : JSON_FIELDS) {
            JsonNode value = root == null ? null : root.get(name);
            if (value != null && value.isTextual()) {
                return value.asText();
            }
        }
        throw HandlerException.badRequest("A JSON body needs the text as a string field \"text\" or \"data\"");
    }
}
