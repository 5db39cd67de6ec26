package dev.ota.tuf.repository;

import dev.ota.tuf.TufException;

/**
 * An edit of the repository that must not happen: the caller asked for something the repository's rules
 * forbid. Nothing is signed or returned when one is thrown, so the previous state stays the one served.
 */
public abstract sealed class RepositoryEditException extends TufException
        permits InsufficientSigningKeysException, SigningKeyNotAuthorisedException, InvalidTargetPathException,
        NoDelegationForTargetException, TargetAlreadyListedException, TargetNotListedException,
        InconsistentRepositoryException, UnreachableRoleException {
    protected RepositoryEditException(String message) {
        super(message);
    }
}
