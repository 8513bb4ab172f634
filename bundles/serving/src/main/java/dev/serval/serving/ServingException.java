package dev.serval.serving;

/**
 * A request the server cannot serve, answered as TorchServe's error JSON:
 * {@code {"code": 404, "type": "ModelNotFoundException", "message": "Model not found: x"}}.
 */
public class ServingException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final int status;
    private final String type;

    /**
     * @param status HTTP status code
     * @param type TorchServe's error type name
     * @param message what went wrong
     */
    public ServingException(int status, String type, String message) {
        super(message);
        this.status = status;
        this.type = type;
    }

    /** @return the HTTP status code */
    public int status() {
        return status;
    }

    /** @return the error type */
    public String type() {
        return type;
    }

    /**
     * @param name a model name that is not served
     * @return TorchServe's 404 for it
     */
    public static ServingException modelNotFound(String name) {
        return new ServingException(404, "ModelNotFoundException", "Model not found: " + name);
    }

    /**
     * @param name a model name
     * @param version a version it does not have
     * @return TorchServe's 404 for that version
     */
    public static ServingException versionNotFound(String name, String version) {
        return new ServingException(
                404,
                "ModelVersionNotFoundException",
                "Model version: " + version + " does not exist for model: " + name);
    }

    /**
     * @param message what is unavailable, and why
     * @return TorchServe's 503
     */
    public static ServingException unavailable(String message) {
        return new ServingException(503, "ServiceUnavailableException", message);
    }
}
