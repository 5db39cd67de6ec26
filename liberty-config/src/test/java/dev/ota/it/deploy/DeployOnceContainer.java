package dev.ota.it.deploy;

import io.openliberty.arquillian.managed.WLPManagedContainer;
import java.util.HashMap;
import java.util.Map;
import org.jboss.arquillian.container.spi.client.container.DeploymentException;
import org.jboss.arquillian.container.spi.client.container.LifecycleException;
import org.jboss.arquillian.container.spi.client.protocol.metadata.ProtocolMetaData;
import org.jboss.shrinkwrap.api.Archive;

/**
 * The Liberty managed container, deploying each archive once per server run instead of once per IT class.
 *
 * <p>Every IT deploys the same EAR and drives it from outside over HTTP ({@code testable = false}); a
 * redeploy per class cost about nine seconds (application stop, start, CDI, JPA and Faces set-up), some
 * thirteen minutes of a CI run over the H2 and PostgreSQL executions, and each redeploy left heap behind.
 * State that matters lives in the database and the data folder, which a redeploy never reset anyway, so
 * the ITs already cope with what earlier classes left. The archive is undeployed when the server stops,
 * so the next execution's server does not find it in its dropins folder.
 */
public final class DeployOnceContainer extends WLPManagedContainer {

    private final Map<String, Deployed> deployed = new HashMap<>();

    private record Deployed(Archive<?> archive, ProtocolMetaData metaData) {}

    @Override
    public ProtocolMetaData deploy(Archive<?> archive) throws DeploymentException {
        Deployed earlier = deployed.get(archive.getName());
        if (earlier != null) {
            return earlier.metaData();
        }
        ProtocolMetaData metaData = super.deploy(archive);
        deployed.put(archive.getName(), new Deployed(archive, metaData));
        return metaData;
    }

    @Override
    public void undeploy(Archive<?> archive) {
        // kept until the server stops: see the class comment
    }

    @Override
    public void stop() throws LifecycleException {
        try {
            for (Deployed d : deployed.values()) {
                super.undeploy(d.archive());
            }
        } catch (DeploymentException e) {
            throw new LifecycleException("could not undeploy before stopping the server", e);
        } finally {
            deployed.clear();
            super.stop();
        }
    }
}
