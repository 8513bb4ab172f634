package dev.serval.sdk;

/**
 * A failure the client should see as it is: the status code, error type and message are sent back
 * as TorchServe's error JSON, {@code {"code": 400, "type": "...", "message": "..."}}.
 *
 * <p>Throw it for bad input (status 400) rather than letting a decoding or shape error escape as
 * an internal server error.
 */
public class HandlerException extends Exception {

    private static final long serialVersionUID = 1L;

    /** The HTTP status code the client gets. */
    private final int status;
    /** The error type sent as the JSON {@code type} field. */
    private final String type;

    /**
     * @param status the HTTP status code to answer with
     * @param type the error type, a short class-like name such as {@code "BadRequestException"}
     * @param message what went wrong, for the client
     */
    public HandlerException(int status, String type, String message) {
        super(message);
        this.status = status;
        this.type = type;
    }

    /**
     * @param status the HTTP status code to answer with
     * @param type the error type, a short class-like name such as {@code "BadRequestException"}
     * @param message what went wrong, for the client
     * @param cause the underlying failure, logged by the server
     */
    public HandlerException(int status, String type, String message, Throwable cause) {
        super(message, cause);
        this.status = status;
        this.type = type;
    }

    /**
     * @param message what is wrong with the input
     * @return a 400 {@code BadRequestException}
     */
    public static HandlerException badRequest(String message) {
        return new HandlerException(400, "BadRequestException", message);
    }

    /**
     * @param message what is wrong with the input
     * @param cause the decoding or parsing failure behind it
     * @return a 400 {@code BadRequestException}
     */
    public static HandlerException badRequest(String message, Throwable cause) {
        return new HandlerException(400, "BadRequestException", message, cause);
    }

    /** @return the HTTP status code */
    public int status() {
        return status;
    }

    /** @return the error type sent as the JSON {@code type} field */
    public String type() {
        return type;
    }
}
