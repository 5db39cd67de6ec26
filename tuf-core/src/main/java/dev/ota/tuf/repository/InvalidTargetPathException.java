package dev.ota.tuf.repository;

/** A target path that this repository will not list: it could not be served safely as a relative URL path. */
public final class InvalidTargetPathException extends RepositoryEditException {
    private final String path;
    private final String problem;

    public InvalidTargetPathException(String path, String problem) {
        super("target path '" + path + "' " + problem);
        this.path = path;
        this.problem = problem;
    }

    public String path() { return path; }
    public String problem() { return problem; }
}
