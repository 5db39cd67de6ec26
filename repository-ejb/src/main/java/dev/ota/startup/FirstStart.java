package dev.ota.startup;

import dev.ota.account.Accounts;
import dev.ota.repository.RepositoryBootstrap;
import jakarta.annotation.PostConstruct;
import jakarta.ejb.DependsOn;
import jakarta.ejb.EJB;
import jakarta.ejb.Singleton;
import jakarta.ejb.Startup;
import jakarta.ejb.TransactionManagement;
import jakarta.ejb.TransactionManagementType;

/**
 * What a server does once its schema is current: on an empty database, bootstrap the TUF
 * repository and create the first administrator. Each step runs in its own transaction inside the service it calls and does
 * nothing when its work is already done, so every start (and every server of a cluster) runs it.
 */
@Singleton
@Startup
@DependsOn("SchemaMigrations")
@TransactionManagement(TransactionManagementType.BEAN)
public class FirstStart {
    @EJB
    private RepositoryBootstrap repository;

    @EJB
    private Accounts accounts;

    @PostConstruct
    void prepare() {
        repository.createIfAbsent();
        accounts.createFirstAdministratorIfNone();
    }
}
